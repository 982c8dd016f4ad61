import { BrowserCache } from '../lib/cache/browser-cache.ts';
import type { EmbeddingGrid } from '../lib/embeddings/embedding-grid.ts';
import type { EncoderInfo } from '../lib/encoder/encoder-spec.ts';
import type { ExportProvenance } from '../lib/export/export-metadata.ts';
import type { SnapshotLegend } from '../lib/export/snapshot-png.ts';
import { gridCornersWgs84 } from '../lib/geo/crs.ts';
import type { GridSpec } from '../lib/geo/geotransform.ts';
import type { Corners } from '../lib/layers/layer-specs.ts';
import { timedStage } from '../lib/perf/stages.ts';
import type { CompositeId } from '../lib/render/composites.ts';
import { givenDateGroups } from '../lib/scene/file-groups.ts';
import type { SceneListing } from '../lib/scene/load-scene.ts';
import type { Scene, SceneListRequest, SceneRequest } from '../lib/scene/scene.ts';
import { defaultThreshold } from '../lib/state/default-threshold.ts';
import { linkNeedsEmbeddings } from '../lib/state/restore-plan.ts';
import type { ViewState } from '../lib/state/url-state.ts';
import { EncodeStore } from './encode-store.svelte.ts';
import { ExplorerAnalysis } from './explorer-analysis.svelte.ts';
import { markerCounts, snapshotLegends } from './explorer-exports.ts';
import { ExportStore } from './export-store.ts';
import { ModelCatalog } from './model-catalog.svelte.ts';
import { provenanceOf } from './provenance.ts';
import { SceneStore } from './scene-store.svelte.ts';

/**
 * The app's state and the actions on it. It owns the three workers and every
 * AbortController it creates; dispose() ends them all.
 */
export class Explorer extends ExplorerAnalysis {
  /** The load job's store: the scene worker, the scene on screen, its imagery, the scene list. */
  readonly scenes = new SceneStore(this.jobs.load, (message) => {
    this.error = message;
  });
  get scene(): Scene | undefined {
    return this.scenes.scene;
  }
  get corners(): Corners | undefined {
    return this.scenes.corners;
  }
  get imagery(): ImageData | undefined {
    return this.scenes.imagery;
  }
  get composite(): CompositeId {
    return this.scenes.composite;
  }
  get listing(): SceneListing | undefined {
    return this.scenes.listing;
  }
  listScenes(request: SceneListRequest): Promise<void> {
    return this.scenes.list(request);
  }
  setComposite(id: CompositeId): void {
    this.scenes.setComposite(id);
  }

  /** The source as a shareable link names it (packs and STAC; dropped files cannot be shared). */
  source = $state.raw<ViewState['source']>(undefined);
  /** The precomputed product on screen instead of an encoder's output (links name it). */
  precomputed = $state.raw<ViewState['precomputed']>(undefined);

  /** The models offered and the user's choice of model, resolution, backend and yearly mode. */
  readonly models = new ModelCatalog();
  /** The encode job's store: the encoder worker, computing embeddings, another date's. */
  readonly encoding = new EncodeStore(this.jobs.encode, {
    scenes: this.scenes.client,
    models: this.models,
    scene: () => this.scene,
    sceneRequest: () => this.scenes.request,
    listing: () => this.listing,
    analysisGrid: () => this.analysisGrid,
    say: (notice) => {
      this.notice = notice;
    },
    show: async (o) => {
      await this.showEmbeddings(o.grid, o.gridSpec, o.info, o.factor);
      if (o.note) this.notice = o.note;
    },
  });
  /** The encoder on screen: model, backend and why (the encode store's). */
  get encoder(): EncoderInfo | undefined {
    return this.encoding.info;
  }
  get encodedSteps(): string[] {
    return this.encoding.steps;
  }
  get encodeRate(): number | undefined {
    return this.encoding.rate;
  }
  get preview(): EncodeStore['preview'] {
    return this.encoding.preview;
  }
  /** Files of what is on screen (its own job: exporting never cancels an encode or a query). */
  readonly exports = new ExportStore(
    this.jobs.export,
    () => ({
      scene: this.scene,
      grid: this.analysisGrid ?? this.scene?.grid,
      places: this.places,
      clusters: this.clusters,
      clusterNames: this.clusterNames,
      similarity: this.similarity,
      query: this.query,
      threshold: this.threshold,
      embeddings: this.embeddingGrid,
      featureNames: this.encoder?.featureNames ?? [],
      provenance: this.provenance,
    }),
    (notice) => {
      this.notice = notice;
    },
  );
  /** Tiles and embeddings kept in the browser's storage (the Storage panel shows and clears it). */
  readonly cache = new BrowserCache();
  /** Dates of dropped files of several dates (the dialog's per-file dates): yearly mode encodes them. */
  get fileDates(): number {
    return this.scenes.request?.kind === 'files' ? givenDateGroups(this.scenes.request.files).length : 0;
  }
  /** The grid the analysis worker also holds (shared memory), for exports and classification. */
  embeddingGrid = $state.raw<EmbeddingGrid | undefined>(undefined);

  /** The model, variant and resolution of the embeddings on screen, for links. */
  private computedWith: ViewState['model'];

  /** Everything a shared link needs to rebuild this view. */
  get viewState(): ViewState {
    const point = (p: { lon: number; lat: number }) => ({ lon: p.lon, lat: p.lat });
    return {
      source: this.source,
      items: this.source && this.scene?.itemIds?.length ? [...this.scene.itemIds] : undefined,
      composite: this.composite,
      model: this.embeddingsReady && !this.precomputed ? this.computedWith : undefined,
      precomputed: this.embeddingsReady ? this.precomputed : undefined,
      query: this.query ? point(this.query) : undefined,
      positives: this.positives.length ? this.positives.map(point) : undefined,
      negatives: this.negatives.length ? this.negatives.map(point) : undefined,
      threshold: this.similarity ? this.threshold : undefined,
      k: this.clusterSettings?.k,
      seed: this.clusterSettings?.seed,
      display: this.layers.viewDisplay(this.pca !== undefined),
      files: this.source ? undefined : this.files,
      change:
        this.change && this.changeLink ? { ...this.changeLink, threshold: this.changeThreshold } : undefined,
    };
  }

  /** The model, resolution and source behind what is on screen, for exported files. */
  private get provenance(): ExportProvenance {
    const model = this.embeddingsReady ? this.encoder : undefined;
    return provenanceOf(model, this.analysisGrid ?? this.scene?.grid, this.scene, this.source, this.files);
  }

  /** The names and stored-value convention of dropped files on screen (a link names them). */
  private files = $state.raw<ViewState['files']>(undefined);

  /**
   * Rebuilds a shared view after its source is loaded: the linked model is chosen, the
   * embeddings recomputed here, then the picks, threshold and clusters applied as the link says.
   */
  async restore(state: ViewState): Promise<void> {
    if (!this.scene) return;
    if (state.composite) this.setComposite(state.composite);
    await this.restoreResults(state);
    // The results came back in whatever order: the view puts back the layers as they were.
    if (state.display) this.layers.apply(state.display);
  }

  private async restoreResults(state: ViewState): Promise<void> {
    if (!linkNeedsEmbeddings(state)) return;
    if (state.model) {
      const outcome = await this.models.chooseLinked(state.model);
      if (outcome.notice) this.notice = outcome.notice;
      if (!outcome.chosen) return;
    }
    await this.computeEmbeddings();
    await this.applyPicks(state);
    if (state.change) {
      await this.compareWith(state.change.items, state.change.label);
      if (this.change && state.change.threshold !== undefined) this.changeThreshold = state.change.threshold;
    }
  }

  /** The linked query, few-shot picks, threshold and clusters, on the embeddings on screen. */
  async applyPicks(state: ViewState): Promise<void> {
    if (!this.embeddingsReady) return;
    if (state.query) {
      await this.queryAt(state.query.lon, state.query.lat);
      for (const p of state.positives ?? []) await this.queryAt(p.lon, p.lat, 'positive');
      for (const p of state.negatives ?? []) await this.queryAt(p.lon, p.lat, 'negative');
      // The link's threshold applies to the final query, after every pick.
      if (state.threshold !== undefined && this.similarity) this.threshold = state.threshold;
    }
    if (state.k !== undefined) await this.cluster(state.k, state.seed ?? 1);
    if (state.display?.pca) await this.computePca();
  }

  async loadScene(request: SceneRequest, label: string, source?: ViewState['source']): Promise<void> {
    // Work on the previous scene's pixels or embeddings no longer applies; exports may finish.
    this.jobs.encode.cancel();
    this.jobs.analysis.cancel();
    await this.scenes.load(request, label, (scene) => {
      this.files =
        request.kind === 'files'
          ? { names: request.files.map((f) => f.name), convention: request.convention }
          : undefined;
      this.notice = this.cache.takeNotice(scene.storageNotice) ?? scene.cacheNote ?? this.notice;
      this.analysisGrid = undefined;
      this.analysisCorners = undefined;
      this.gridGeneration++;
      this.source = source;
      this.precomputed = undefined;
      this.clusterSettings = undefined;
      this.embeddingsReady = false;
      this.change = undefined;
      this.similarity = undefined;
      this.places = [];
      this.query = undefined;
      this.clusters = undefined;
      this.encoding.rate = undefined;
    });
  }

  /** Releases the encoder's session (the page was hidden); computing again reopens it. */
  releaseEncoder(): Promise<void> {
    return this.encoding.release();
  }

  async computeEmbeddings(): Promise<void> {
    // The shortcut (E) must not restart a running encode, as the disabled button would not.
    if (!this.scene || this.isRunning('load', 'encode')) return;
    await this.encoding.compute();
  }

  /**
   * Embeddings read rather than computed (a precomputed product): the same analysis takes
   * them. Without a scene the map frames them on the basemap, with no imagery under them.
   */
  async showReadEmbeddings(
    grid: EmbeddingGrid,
    gridSpec: GridSpec,
    info: EncoderInfo,
    link: NonNullable<ViewState['precomputed']>,
  ): Promise<void> {
    this.jobs.encode.cancel();
    await this.showEmbeddings(grid, gridSpec, info, 1);
    this.encoding.info = info;
    this.encoding.rate = undefined;
    this.precomputed = link;
    if (!this.scene) this.scenes.corners = this.analysisCorners;
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
    // Answers on the previous grid (a click, k-means) stop: they would land on the new one.
    this.jobs.analysis.cancel();
    this.gridGeneration++;
    await timedStage('grid', () => this.analysis.setGrid(grid));
    this.embeddingGrid = grid;
    this.computedWith = { id: info.model, sha256: info.sha256, factor };
    this.precomputed = undefined;
    this.analysisGrid = gridSpec;
    this.analysisCorners = gridCornersWgs84(gridSpec);
    this.embeddingsReady = true;
    this.thresholdSetByUser = false;
    this.encoding.steps = [];
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
    const used = this.computedWith;
    const option = this.models.options.find((o) => o.id === used?.id);
    if (!this.scene || !this.embeddingsReady || !used || !option) return;
    const encoded = await this.encoding.otherDate(itemIds, label, option, used.factor ?? 1);
    if (!encoded) return;
    await this.changeTo(encoded, label);
    if (this.change) this.changeLink = { items: [...itemIds], label };
  }

  /** The per-pixel change from the embeddings on screen to `other` (same grid) as a layer. */
  async changeTo(other: EmbeddingGrid, label: string): Promise<void> {
    this.changeLink = undefined;
    // An analysis job: it runs in the analysis worker (cancelling restarts that worker).
    const generation = this.gridGeneration;
    await this.jobs.analysis.runFrom('change', `Change to ${label}`, async (signal) => {
      await this.analysis.setOtherGrid(other);
      const result = await this.analysis.change(signal);
      this.assertCurrentGrid(generation, 'Change detection');
      this.changeThreshold = defaultThreshold(result.histogram, result.min, result.max);
      this.change = { ...result, label };
      this.layers.raise('change');
    });
  }

  /** The legends of the markers and of every visible result layer, top first, for a map snapshot. */
  snapshotLegends(classes: SnapshotLegend | undefined): SnapshotLegend[] {
    return snapshotLegends({
      visible: this.layers.order.filter((id) => this.layers.layer(id).visible),
      similarity: this.similarity,
      threshold: this.threshold,
      clusters: this.clusters,
      clusterNames: this.clusterNames,
      hiddenClusters: this.layers.hiddenClusters,
      pca: this.pca,
      change: this.change,
      changeThreshold: this.changeThreshold,
      classes,
      markers: markerCounts(this),
    });
  }

  async dispose(): Promise<void> {
    this.cancel();
    this.scenes.dispose();
    this.analysis.dispose();
    this.cache.close();
    await this.encoding.dispose();
  }
}
