import type { SceneClient } from '../lib/clients/index.ts';
import { serializeError } from '../lib/errors.ts';
import { gridCornersWgs84 } from '../lib/geo/index.ts';
import type { Corners } from '../lib/layers/index.ts';
import { stageEnd, stageStart, timedStage } from '../lib/perf/index.ts';
import { availableComposites, type CompositeId, compositeRgba } from '../lib/render/index.ts';
import type { Scene, SceneListing, SceneListRequest, SceneRequest } from '../lib/scene/index.ts';
import type { Job } from './job.svelte.ts';
import { takeStartupScenes } from './startup.ts';

/**
 * The load job's store: the scene worker (main.ts started it, already reading the start-up
 * pack), the scene on screen with its imagery views, and the search for scenes.
 */
export class SceneStore {
  scene = $state.raw<Scene | undefined>(undefined);
  /** The request the scene came from, to read other dates of the same area. */
  request = $state.raw<SceneRequest | undefined>(undefined);
  corners = $state.raw<Corners | undefined>(undefined);
  imagery = $state.raw<ImageData | undefined>(undefined);
  composite = $state<CompositeId>('true-colour');
  listing = $state.raw<SceneListing | undefined>(undefined);

  readonly client: SceneClient = takeStartupScenes();

  constructor(
    readonly job: Job,
    private readonly onError: (message: string) => void,
  ) {}

  /** The scenes matching a search (date, cloud, coverage), without reading any pixels. */
  async list(request: SceneListRequest): Promise<void> {
    await this.job.run('Searching scenes', async (signal) => {
      this.listing = undefined;
      this.listing = await this.client.list(
        request,
        (p) => this.job.report(p.message, p.done, p.total, 'steps'),
        signal,
      );
    });
  }

  /**
   * Reads a scene and puts it on screen; `shown` runs in the same step (the controller drops
   * what was derived from the previous scene). Resolves to false when it did not complete.
   */
  async load(request: SceneRequest, label: string, shown: (scene: Scene) => void): Promise<boolean> {
    const done = await this.job.run(label, async (signal) => {
      const scene = await timedStage('scene', () =>
        this.client.load(request, (p) => this.job.report(p.message, p.done, p.total, 'steps'), signal),
      );
      if (!availableComposites(scene.bands).some((c) => c.id === this.composite))
        this.composite = 'true-colour';
      // The previous scene's pixels are freed in the scene worker (this thread may still hold them).
      if (this.scene !== scene) this.client.release([this.scene]);
      this.scene = scene;
      this.request = request;
      this.corners = gridCornersWgs84(scene.grid);
      this.imagery = this.render(scene, this.composite);
      shown(scene);
      return true;
    });
    return done === true;
  }

  private render(scene: Scene, id: CompositeId): ImageData {
    stageStart('composite');
    const image = new ImageData(
      compositeRgba(scene, id) as Uint8ClampedArray<ArrayBuffer>,
      scene.grid.width,
      scene.grid.height,
    );
    stageEnd('composite');
    return image;
  }

  /** Switches the imagery view (true colour, false colour, SWIR, NDVI). */
  setComposite(id: CompositeId): void {
    const scene = this.scene;
    if (!scene) return;
    try {
      this.imagery = this.render(scene, id);
      this.composite = id;
    } catch (error) {
      this.onError(serializeError(error).message);
    }
  }

  dispose(): void {
    this.client.dispose();
  }
}
