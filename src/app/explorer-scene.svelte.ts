import { serializeError } from '../lib/errors.ts';
import type { Corners } from '../lib/layers/layer-specs.ts';
import { stageEnd, stageStart } from '../lib/perf/stages.ts';
import { type CompositeId, compositeRgba } from '../lib/render/composites.ts';
import type { SceneListing } from '../lib/scene/load-scene.ts';
import type { Scene, SceneListRequest } from '../lib/scene/scene.ts';
import { ExplorerAnalysis } from './explorer-analysis.svelte.ts';
import { takeStartupScenes } from './startup.ts';

/**
 * The scene on screen: its pixels' imagery views and the search for scenes, on top of the
 * analysis state. Explorer (explorer.svelte.ts) adds loading, encoding and links; it owns the
 * scene worker this class holds and ends it in dispose().
 */
export class ExplorerScene extends ExplorerAnalysis {
  scene = $state.raw<Scene | undefined>(undefined);
  corners = $state.raw<Corners | undefined>(undefined);
  imagery = $state.raw<ImageData | undefined>(undefined);
  composite = $state<CompositeId>('true-colour');

  /** The scene worker main.ts started (beginStartup), already reading the start-up pack. */
  protected readonly sceneClient = takeStartupScenes();

  listing = $state.raw<SceneListing | undefined>(undefined);

  /** The scenes matching a search (date, cloud, coverage), without reading any pixels. */
  async listScenes(request: SceneListRequest): Promise<void> {
    await this.run('load', 'Searching scenes', async (signal) => {
      this.listing = undefined;
      this.listing = await this.sceneClient.list(
        request,
        (p) => this.jobs.load.report(p.message, p.done, p.total, 'steps'),
        signal,
      );
    });
  }

  protected renderComposite(scene: Scene, id: CompositeId): ImageData {
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
      this.imagery = this.renderComposite(scene, id);
      this.composite = id;
    } catch (error) {
      this.error = serializeError(error).message;
    }
  }
}
