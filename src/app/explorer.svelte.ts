import { BrowserCache } from '../lib/cache/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import type { EncoderInfo } from '../lib/encoder/index.ts';
import type { ExportProvenance, SnapshotLegend } from '../lib/export/index.ts';
import type { GridSpec } from '../lib/geo/index.ts';
import type { Corners } from '../lib/layers/index.ts';
import { availableComposites, COMPOSITES, type CompositeId } from '../lib/render/index.ts';
import type { Scene, SceneListing, SceneListRequest, SceneRequest } from '../lib/scene/index.ts';
import { givenDateGroups } from '../lib/scene/index.ts';
import type { ViewState } from '../lib/state/index.ts';
import { linkNeedsEmbeddings } from '../lib/state/index.ts';
import { AnalysisStore } from './analysis-store.svelte.ts';
import { EncodeStore } from './encode-store.svelte.ts';
import { markerCounts, snapshotLegends } from './explorer-exports.ts';
import type { Progress, Task } from './explorer-types.ts';
import { ExportStore } from './export-store.ts';
import { type Job, jobsFor } from './job.svelte.ts';
import { LayerStack } from './layer-stack.svelte.ts';
import { ModelCatalog } from './model-catalog.svelte.ts';
import { provenanceOf } from './provenance.ts';
import { SceneStore } from './scene-store.svelte.ts';

/**
 * The app's controller: one store per job (scene, encode, analysis, export), each with its
 * own Job (AbortController, progress) and worker, composed here; what links, exports and
 * the panels read of them together. dispose() ends every job and worker.
 */
export class Explorer {
  error = $state<string | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  /** One job per task: a click (analysis) or an export no longer cancels a running encode. */
  readonly jobs: Readonly<Record<Task, Job>> = jobsFor({
    onStart: () => {
      this.error = undefined;
      this.notice = undefined;
    },
    onError: (message) => {
      this.error = message;
    },
    onNotice: (message) => {
      this.notice = message;
    },
  });
  /** The map's layers: order, visibility, opacity; each new result comes to the top. */
  readonly layers = new LayerStack();
  /** The analysis job's store: the analysis worker, the embeddings on screen, the answers on them. */
  readonly analysis = new AnalysisStore(this.jobs.analysis, {
    layers: this.layers,
    say: (notice) => {
      this.notice = notice;
    },
    fail: (error) => {
      this.error = error;
    },
  });
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

  /** An imagery view asked for by name (the 1-4 keys), or why this scene cannot show it. */
  chooseComposite(id: CompositeId): void {
    const def = COMPOSITES.find((c) => c.id === id);
    if (!this.scene || !def) return;
    if (availableComposites(this.scene.bands).some((c) => c.id === id)) this.setComposite(id);
    else
      this.notice = `${def.label} needs bands this scene does not have; the Layers panel lists the views it offers.`;
  }

  /** The progress of every running job, in the order the UI lists them. */
  get progress(): Progress[] {
    return Object.values(this.jobs).flatMap((j) => (j.progress ? [j.progress] : []));
  }
  /** Whether any job runs. */
  get busy(): boolean {
    return Object.values(this.jobs).some((j) => j.running);
  }
  /** Whether any of these jobs runs (what a control that would clash with them checks). */
  isRunning(...tasks: Task[]): boolean {
    return tasks.some((t) => this.jobs[t].running);
  }
  /** Cancels one job, or every running one. */
  cancel(task?: Task): void {
    if (task) this.jobs[task].cancel();
    else for (const j of Object.values(this.jobs)) j.cancel();
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
    analysisGrid: () => this.analysis.gridSpec,
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
      grid: this.analysis.gridSpec ?? this.scene?.grid,
      places: this.analysis.places,
      clusters: this.analysis.clusters,
      clusterNames: this.analysis.clusterNames,
      similarity: this.analysis.similarity,
      query: this.analysis.query,
      threshold: this.analysis.threshold,
      embeddings: this.analysis.embeddings,
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
  /**
   * The model, variant and resolution of the embeddings on screen, for links: state, since it
   * changes after the analysis store's (the link would keep the previous model otherwise).
   */
  private computedWith = $state.raw<ViewState['model']>(undefined);

  /** Everything a shared link needs to rebuild this view. */
  get viewState(): ViewState {
    const point = (p: { lon: number; lat: number }) => ({ lon: p.lon, lat: p.lat });
    const a = this.analysis;
    return {
      source: this.source,
      items: this.source && this.scene?.itemIds?.length ? [...this.scene.itemIds] : undefined,
      composite: this.composite,
      model: a.embeddingsReady && !this.precomputed ? this.computedWith : undefined,
      precomputed: a.embeddingsReady ? this.precomputed : undefined,
      query: a.query ? point(a.query) : undefined,
      positives: a.positives.length ? a.positives.map(point) : undefined,
      negatives: a.negatives.length ? a.negatives.map(point) : undefined,
      threshold: a.similarity ? a.threshold : undefined,
      k: a.clusterSettings?.k,
      seed: a.clusterSettings?.seed,
      display: this.layers.viewDisplay(a.pca !== undefined),
      files: this.source ? undefined : this.files,
      change: a.change && a.changeLink ? { ...a.changeLink, threshold: a.changeThreshold } : undefined,
    };
  }

  /** The model, resolution and source behind what is on screen, for exported files. */
  private get provenance(): ExportProvenance {
    const model = this.analysis.embeddingsReady ? this.encoder : undefined;
    return provenanceOf(
      model,
      this.analysis.gridSpec ?? this.scene?.grid,
      this.scene,
      this.source,
      this.files,
    );
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
    let linkNotice: string | undefined;
    if (state.model) {
      const outcome = await this.models.chooseLinked(state.model);
      linkNotice = outcome.notice;
      if (linkNotice) this.notice = linkNotice;
      if (!outcome.chosen) return;
    }
    await this.computeEmbeddings();
    await this.applyPicks(state);
    if (state.change) {
      await this.compareWith(state.change.items, state.change.label);
      if (this.analysis.change && state.change.threshold !== undefined)
        this.analysis.changeThreshold = state.change.threshold;
    }
    // Each job's start clears the notices (the encode's, each query's): what the link's model
    // is matters as long as its results are on screen, so it is said again unless something
    // newer took its place.
    if (linkNotice && !this.notice && !this.error) this.notice = linkNotice;
  }

  /** The linked query, few-shot picks, threshold and clusters, on the embeddings on screen. */
  async applyPicks(state: ViewState): Promise<void> {
    const a = this.analysis;
    if (!a.embeddingsReady) return;
    if (state.query) {
      await a.queryAt(state.query.lon, state.query.lat);
      for (const p of state.positives ?? []) await a.queryAt(p.lon, p.lat, 'positive');
      for (const p of state.negatives ?? []) await a.queryAt(p.lon, p.lat, 'negative');
      // The link's threshold applies to the final query, after every pick.
      if (state.threshold !== undefined && a.similarity) a.threshold = state.threshold;
    }
    if (state.k !== undefined) await a.cluster(state.k, state.seed ?? 1);
    if (state.display?.pca) await a.computePca();
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
      this.analysis.forget();
      this.source = source;
      this.precomputed = undefined;
      this.encoding.rate = undefined;
      this.encoding.stopped = undefined;
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
    if (!this.scene) this.scenes.corners = this.analysis.corners;
  }

  /** New embeddings on screen (computed, cached or read), and what links say of them. */
  private async showEmbeddings(
    grid: EmbeddingGrid,
    gridSpec: GridSpec,
    info: EncoderInfo,
    factor: number,
  ): Promise<void> {
    await this.analysis.show(grid, gridSpec);
    this.computedWith = { id: info.model, sha256: info.sha256, factor };
    this.precomputed = undefined;
    this.encoding.steps = [];
  }

  /**
   * Reads the same area at another date (these items), encodes it with the model and
   * resolution of the embeddings on screen, and maps the per-pixel change between them.
   */
  async compareWith(itemIds: string[], label: string): Promise<void> {
    const used = this.computedWith;
    const option = this.models.options.find((o) => o.id === used?.id);
    if (!this.scene || !this.analysis.embeddingsReady || !used || !option) return;
    const encoded = await this.encoding.otherDate(itemIds, label, option, used.factor ?? 1);
    if (encoded) await this.analysis.changeTo(encoded, label, { items: itemIds });
  }

  /** The legends of the markers and of every visible result layer, top first, for a map snapshot. */
  snapshotLegends(classes: SnapshotLegend | undefined): SnapshotLegend[] {
    const a = this.analysis;
    return snapshotLegends({
      visible: this.layers.order.filter((id) => this.layers.layer(id).visible),
      similarity: a.similarity,
      threshold: a.threshold,
      clusters: a.clusters,
      clusterNames: a.clusterNames,
      hiddenClusters: this.layers.hiddenClusters,
      pca: a.pca,
      change: a.change,
      changeThreshold: a.changeThreshold,
      classes,
      markers: markerCounts(a),
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
