import type { EncoderInfo } from '../../workers/encoder-api.ts';
import type { EmbeddingGrid } from '../lib/analysis/embedding-grid.ts';
import { BrowserCache } from '../lib/cache/browser-cache.ts';
import type { CachedEmbeddings } from '../lib/cache/embedding-codec.ts';
import { EncoderClient } from '../lib/clients/encoder-client.ts';
import { runExport } from '../lib/clients/export-client.ts';
import { SceneClient } from '../lib/clients/scene-client.ts';
import { AppError, serializeError } from '../lib/errors.ts';
import { downloadFile } from '../lib/export/download.ts';
import type { SnapshotLegend } from '../lib/export/snapshot-png.ts';
import { gridCornersWgs84 } from '../lib/geo/crs.ts';
import type { GridSpec } from '../lib/geo/geotransform.ts';
import type { Corners } from '../lib/layers/layer-specs.ts';
import { availableComposites, type CompositeId, compositeRgba } from '../lib/render/composites.ts';
import type { SceneListing } from '../lib/scene/load-scene.ts';
import type { Scene, SceneListRequest, SceneProgress, SceneRequest } from '../lib/scene/scene.ts';
import { defaultThreshold } from '../lib/state/default-threshold.ts';
import type { ViewState } from '../lib/state/url-state.ts';
import { ExplorerAnalysis } from './explorer-analysis.svelte.ts';
import {
  downloadPlaces,
  type ExportKind,
  type MapSnapshotSource,
  planExport,
  sceneFileName,
  snapshotLegend,
  snapshotPng,
} from './explorer-exports.ts';
import { ModelCatalog } from './model-catalog.svelte.ts';
import { loadOtherDate, loadSeries, rereadable } from './other-dates.ts';
import { runEncoding } from './run-encoding.ts';

/**
 * The app's state and the actions on it. It owns the three workers and every
 * AbortController it creates; dispose() ends them all.
 */
export class Explorer extends ExplorerAnalysis {
  scene = $state.raw<Scene | undefined>(undefined);
  corners = $state.raw<Corners | undefined>(undefined);
  imagery = $state.raw<ImageData | undefined>(undefined);
  composite = $state<CompositeId>('true-colour');
  encoder = $state.raw<EncoderInfo | undefined>(undefined);
  /** Yearly mode: the months the embeddings were computed over (empty for one scene). */
  encodedSteps = $state.raw<string[]>([]);
  encodeRate = $state<number | undefined>(undefined);
  /** The source as a shareable link names it (packs and STAC; dropped files cannot be shared). */
  source = $state.raw<ViewState['source']>(undefined);

  private readonly sceneClient = new SceneClient();
  private readonly encoderClient = new EncoderClient();
  /** The models offered and the user's choice of model, resolution, backend and yearly mode. */
  readonly models = new ModelCatalog();
  /** Tiles and embeddings kept in the browser's storage (the Storage panel shows and clears it). */
  readonly cache = new BrowserCache();
  /** Colours of the embeddings computed so far, while encoding runs, and where they lie. */
  preview = $state.raw<{ image: ImageData; corners: Corners } | undefined>(undefined);
  /** The request the scene came from, to read other dates of the same area (yearly mode). */
  private sceneRequest: SceneRequest | undefined;
  /** The ORT session is released while the page is hidden; the next compute opens it again. */
  private encoderOpen = false;
  /** The grid the analysis worker also holds; kept here for exports. */
  private embeddings: EmbeddingGrid | undefined;
  /** The embeddings behind analysisGrid (read when analysisGrid changes), for classification. */
  get embeddingGrid(): EmbeddingGrid | undefined {
    return this.embeddings;
  }

  listing = $state.raw<SceneListing | undefined>(undefined);

  /** The scenes matching a search (date, cloud, coverage), without reading any pixels. */
  async listScenes(request: SceneListRequest): Promise<void> {
    await this.run('load', 'Searching scenes', async (signal) => {
      this.listing = undefined;
      this.listing = await this.sceneClient.list(
        request,
        (p) => {
          this.progress = { task: 'load', label: p.message, done: p.done, total: p.total, unit: 'steps' };
        },
        signal,
      );
    });
  }

  /** The model, variant and resolution of the embeddings on screen, for links. */
  private computedWith: ViewState['model'];

  /** Everything a shared link needs to rebuild this view. */
  get viewState(): ViewState {
    const point = (p: { lon: number; lat: number }) => ({ lon: p.lon, lat: p.lat });
    return {
      source: this.source,
      items: this.source && this.scene?.itemIds?.length ? [...this.scene.itemIds] : undefined,
      composite: this.composite,
      model: this.embeddingsReady ? this.computedWith : undefined,
      query: this.query ? point(this.query) : undefined,
      positives: this.positives.length ? this.positives.map(point) : undefined,
      negatives: this.negatives.length ? this.negatives.map(point) : undefined,
      threshold: this.similarity ? this.threshold : undefined,
      k: this.clusterSettings?.k,
      seed: this.clusterSettings?.seed,
    };
  }

  /**
   * Rebuilds a shared view after its source is loaded: the linked model is chosen, the
   * embeddings recomputed here, then the picks, threshold and clusters applied as the link says.
   */
  async restore(state: ViewState): Promise<void> {
    if (!this.scene) return;
    if (state.composite) this.setComposite(state.composite);
    if (!state.query && state.k === undefined) return;
    if (state.model) {
      const outcome = await this.models.chooseLinked(state.model);
      if (outcome.notice) this.notice = outcome.notice;
      if (!outcome.chosen) return;
    }
    await this.computeEmbeddings();
    if (!this.embeddingsReady) return;
    if (state.query) {
      await this.queryAt(state.query.lon, state.query.lat);
      for (const p of state.positives ?? []) await this.queryAt(p.lon, p.lat, 'positive');
      for (const p of state.negatives ?? []) await this.queryAt(p.lon, p.lat, 'negative');
      // The link's threshold applies to the final query, after every pick.
      if (state.threshold !== undefined && this.similarity) this.threshold = state.threshold;
    }
    if (state.k !== undefined) await this.cluster(state.k, state.seed ?? 1);
  }

  async loadScene(request: SceneRequest, label: string, source?: ViewState['source']): Promise<void> {
    await this.run('load', label, async (signal) => {
      const scene = await this.sceneClient.load(
        request,
        (p) => {
          this.progress = { task: 'load', label: p.message, done: p.done, total: p.total, unit: 'steps' };
        },
        signal,
      );
      if (!availableComposites(scene.bands).some((c) => c.id === this.composite))
        this.composite = 'true-colour';
      this.scene = scene;
      this.sceneRequest = request;
      this.notice = this.cache.takeNotice(scene.storageNotice) ?? scene.cacheNote ?? this.notice;
      this.analysisGrid = undefined;
      this.analysisCorners = undefined;
      this.source = source;
      this.clusterSettings = undefined;
      this.corners = gridCornersWgs84(scene.grid);
      this.imagery = this.renderComposite(scene, this.composite);
      this.embeddingsReady = false;
      this.change = undefined;
      this.similarity = undefined;
      this.places = [];
      this.query = undefined;
      this.clusters = undefined;
      this.encodeRate = undefined;
    });
  }

  private renderComposite(scene: Scene, id: CompositeId): ImageData {
    return new ImageData(
      compositeRgba(scene, id) as Uint8ClampedArray<ArrayBuffer>,
      scene.grid.width,
      scene.grid.height,
    );
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

  /** Releases the encoder's session (the page was hidden); computing again reopens it. */
  async releaseEncoder(): Promise<void> {
    if (!this.encoderOpen || this.progress?.task === 'encode') return;
    this.encoderOpen = false;
    await this.encoderClient.release();
  }

  async computeEmbeddings(): Promise<void> {
    const scene = this.scene;
    if (!scene) return;
    await this.run('encode', 'Computing embeddings', async (signal) => {
      const option = this.models.selected;
      const series = this.models.timeSeries
        ? await loadSeries(
            this.sceneClient,
            this.sceneRequest,
            this.listing,
            scene,
            (month, done, total, p) => {
              this.progress = {
                task: 'encode',
                label: `Reading ${month}: ${p.message}`,
                done,
                total,
                unit: 'months',
              };
            },
            signal,
          )
        : undefined;
      const settings = { factor: this.models.factor, preference: this.models.preference, series };
      const cached = await this.cache.findEmbeddings(scene, option, settings);
      if (cached.hit) return this.restoreEmbeddings(cached.hit);
      this.progress = { task: 'encode', label: `Preparing ${option.name}`, done: 0, total: 0, unit: '' };
      this.encoderClient.onBackendChange = (backend, reason) => {
        if (this.encoder) this.encoder = { ...this.encoder, backend, reason };
        this.notice = reason;
      };
      const outcome = await runEncoding(option, scene, settings, this.encoderClient, {
        signal,
        onInfo: (info) => {
          this.encoder = info;
          this.encoderOpen = true;
        },
        onPreview: (preview) => {
          this.preview = preview;
        },
        onProgress: (p) => {
          const eta = p.done > 0 ? ((p.total - p.done) * p.elapsedMs) / p.done / 1000 : undefined;
          this.progress = {
            task: 'encode',
            label: `Computing embeddings${eta === undefined ? '' : ` (about ${Math.ceil(eta)} s left)`}`,
            done: p.done,
            total: p.total,
            unit: p.unit,
          };
          if (p.elapsedMs > 0) this.encodeRate = (p.done / p.elapsedMs) * 1000;
        },
      }).finally(() => {
        this.preview = undefined;
      });
      // The previous embeddings and their layers stay until the new ones are complete.
      this.notice = (await this.cache.saveEmbeddings(cached, outcome.grid, outcome.info)) ?? this.notice;
      await this.showEmbeddings(outcome.grid, outcome.gridSpec, outcome.info, settings.factor);
      this.encodedSteps = series?.map((s) => s.datetime.slice(0, 7)) ?? [];
    });
  }

  /** A cache hit: the grid as computeEmbeddings would have left it, and where it came from. */
  private async restoreEmbeddings(
    hit: CachedEmbeddings & { note: string; gridSpec: GridSpec; factor: number },
  ): Promise<void> {
    this.encoder = hit.info;
    this.encodeRate = undefined;
    await this.showEmbeddings(hit.grid, hit.gridSpec, hit.info, hit.factor);
    this.notice = hit.note;
  }

  /**
   * New embeddings on screen (computed or from the cache): the analysis worker gets the grid,
   * and every answer derived from the previous grid goes, since it no longer applies.
   */
  private async showEmbeddings(
    grid: EmbeddingGrid,
    gridSpec: GridSpec,
    info: EncoderInfo,
    factor: number,
  ): Promise<void> {
    await this.analysis.setGrid(grid);
    this.embeddings = grid;
    this.computedWith = { id: info.model, sha256: info.sha256, factor };
    this.analysisGrid = gridSpec;
    this.analysisCorners = gridCornersWgs84(gridSpec);
    this.embeddingsReady = true;
    this.encodedSteps = [];
    this.change = undefined;
    this.similarity = undefined;
    this.clusters = undefined;
    this.pca = undefined;
    this.places = [];
    this.query = undefined;
    this.positives = [];
    this.negatives = [];
  }

  /**
   * Reads the same area at another date (these items), encodes it with the model and
   * resolution of the embeddings on screen, and maps the per-pixel change between them.
   */
  async compareWith(itemIds: string[], label: string): Promise<void> {
    const scene = this.scene;
    const request = this.sceneRequest;
    const used = this.computedWith;
    const option = this.models.options.find((o) => o.id === used?.id);
    if (!scene || !this.embeddingsReady || !used || !option) return;
    await this.run('encode', `Change to ${label}`, async (signal) => {
      const source = rereadable(request, 'Change');
      const onRead = (p: SceneProgress) => {
        this.progress = {
          task: 'encode',
          label: `Reading ${label}: ${p.message}`,
          done: p.done,
          total: p.total,
          unit: 'steps',
        };
      };
      const other = await loadOtherDate(this.sceneClient, source, itemIds, scene, label, onRead, signal);
      const settings = { factor: used.factor ?? 1, preference: this.models.preference };
      const { grid, gridSpec } = await runEncoding(option, other, settings, this.encoderClient, {
        signal,
        onProgress: (p) => {
          this.progress = {
            task: 'encode',
            label: `Embeddings of ${label}`,
            done: p.done,
            total: p.total,
            unit: p.unit,
          };
        },
      });
      const current = this.analysisGrid;
      if (!current || gridSpec.width !== current.width || gridSpec.height !== current.height)
        throw new AppError(
          'bad-input',
          `The embeddings of ${label} lie on another grid than those on screen.`,
        );
      await this.analysis.setOtherGrid(grid);
      const result = await this.analysis.change(signal);
      this.changeThreshold = defaultThreshold(result.histogram, result.min, result.max);
      this.change = { ...result, label };
    });
  }

  private fileName(product: string, extension: string, qualifier?: string): string {
    return sceneFileName(this.scene, product, extension, qualifier);
  }

  /** Writes one export file (in a worker for the heavy ones) and hands it to the browser. */
  async exportFile(kind: ExportKind): Promise<void> {
    const grid = this.analysisGrid ?? this.scene?.grid;
    if (!grid) return;
    if (kind === 'places-csv' || kind === 'places-geojson') {
      downloadPlaces(kind, this.places, grid, (ext) => this.fileName('places', ext, 'top10'));
      return;
    }
    await this.run('export', 'Exporting', async (signal) => {
      const planned = planExport(kind, {
        grid,
        clusters: this.clusters,
        clusterNames: this.clusterNames,
        similarity: this.similarity,
        query: this.query,
        threshold: this.threshold,
        embeddings: this.embeddings,
        featureNames: this.encoder?.featureNames ?? [],
      });
      if (!planned) throw new AppError('bad-input', 'Nothing to export yet: compute it first.');
      const out = await runExport(planned.job, signal);
      const { product, extension, qualifier } = planned.name;
      downloadFile(out.bytes, this.fileName(product, extension, qualifier), out.mimeType);
      this.notice = `Exported: ${out.summary}.`;
    });
  }

  /** A PNG of the map with the legend of the top layer, a scale bar and the attribution. */
  async exportSnapshot(
    map: MapSnapshotSource,
    legendFor: 'similarity' | 'clusters' | undefined,
    /** A legend from outside the explorer (the class map's), used as it is. */
    legendOverride?: SnapshotLegend,
  ): Promise<void> {
    const legend =
      legendOverride ??
      snapshotLegend(legendFor, this.similarity, this.threshold, this.clusters, this.clusterNames);
    await this.run('export', 'Map snapshot', async () => {
      downloadFile(await snapshotPng(map, legend, this.scene?.datetime), this.fileName('map', 'png'));
    });
  }

  async dispose(): Promise<void> {
    this.running?.abort();
    this.sceneClient.dispose();
    this.analysis.dispose();
    this.cache.close();
    await this.encoderClient.dispose();
  }
}
