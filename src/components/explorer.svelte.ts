import type { ChangeResult, ClusterResult, SimilarityResult } from '../../workers/analysis-api.ts';
import type { EncoderInfo } from '../../workers/encoder-api.ts';
import type { EmbeddingGrid } from '../lib/analysis/embedding-grid.ts';
import { AnalysisClient } from '../lib/clients/analysis-client.ts';
import { EncoderClient } from '../lib/clients/encoder-client.ts';
import { runExport } from '../lib/clients/export-client.ts';
import { SceneClient } from '../lib/clients/scene-client.ts';
import { AppError, isAborted, serializeError } from '../lib/errors.ts';
import { downloadFile } from '../lib/export/download.ts';
import { converter, gridCornersWgs84 } from '../lib/geo/crs.ts';
import type { GridSpec } from '../lib/geo/geotransform.ts';
import { crsToPixel, pixelToCrs } from '../lib/geo/geotransform.ts';
import type { Corners } from '../lib/layers/layer-specs.ts';
import { availableComposites, type CompositeId, compositeRgba } from '../lib/render/composites.ts';
import type { SceneListing } from '../lib/scene/load-scene.ts';
import type { Scene, SceneListRequest, SceneProgress, SceneRequest } from '../lib/scene/scene.ts';
import { defaultThreshold } from '../lib/state/default-threshold.ts';
import type { ViewState } from '../lib/state/url-state.ts';
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

export type Task = 'load' | 'encode' | 'cluster' | 'similarity' | 'export';

export interface Progress {
  task: Task;
  label: string;
  done: number;
  total: number;
  unit: string;
}

export interface RankedPlace {
  rank: number;
  col: number;
  row: number;
  lon: number;
  lat: number;
  score: number;
}

/**
 * The app's state and the actions on it. It owns the three workers and every
 * AbortController it creates; dispose() ends them all.
 */
export class Explorer {
  scene = $state.raw<Scene | undefined>(undefined);
  corners = $state.raw<Corners | undefined>(undefined);
  imagery = $state.raw<ImageData | undefined>(undefined);
  composite = $state<CompositeId>('true-colour');
  progress = $state<Progress | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  encoder = $state.raw<EncoderInfo | undefined>(undefined);
  embeddingsReady = $state(false);
  /** Yearly mode: the months the embeddings were computed over (empty for one scene). */
  encodedSteps = $state.raw<string[]>([]);
  encodeRate = $state<number | undefined>(undefined);
  similarity = $state.raw<SimilarityResult | undefined>(undefined);
  query = $state.raw<{ lon: number; lat: number; col: number; row: number } | undefined>(undefined);
  places = $state.raw<RankedPlace[]>([]);
  clusters = $state.raw<ClusterResult | undefined>(undefined);
  threshold = $state(0.9);
  /** The analyst's names for clusters ("pasture"), index = cluster label. */
  clusterNames = $state<string[]>([]);
  private pendingClusterNames: string[] | undefined;
  /** The source as a shareable link names it (packs and STAC; dropped files cannot be shared). */
  source = $state.raw<ViewState['source']>(undefined);
  clusterSettings = $state.raw<{ k: number; seed: number } | undefined>(undefined);

  private readonly sceneClient = new SceneClient();
  private readonly encoderClient = new EncoderClient();
  private readonly analysis = new AnalysisClient();
  private running: AbortController | undefined;
  /** The grid of the embeddings: the scene's, or a coarser one for slow encoders. */
  analysisGrid = $state.raw<GridSpec | undefined>(undefined);
  analysisCorners = $state.raw<Corners | undefined>(undefined);
  /** The models offered and the user's choice of model, resolution, backend and yearly mode. */
  readonly models = new ModelCatalog();
  /** Colours of the embeddings computed so far, while encoding runs, and where they lie. */
  preview = $state.raw<{ image: ImageData; corners: Corners } | undefined>(undefined);
  /** The request the scene came from, to read other dates of the same area (yearly mode). */
  private sceneRequest: SceneRequest | undefined;
  /** The ORT session is released while the page is hidden; the next compute opens it again. */
  private encoderOpen = false;
  /** The grid the analysis worker also holds; kept here for exports. */
  private embeddings: EmbeddingGrid | undefined;

  get busy(): boolean {
    return this.progress !== undefined;
  }

  /** Cancels the running task, if any. */
  cancel(): void {
    this.running?.abort();
  }

  private async run<T>(
    task: Task,
    label: string,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T | undefined> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.error = undefined;
    this.notice = undefined;
    this.progress = { task, label, done: 0, total: 0, unit: '' };
    try {
      return await work(controller.signal);
    } catch (error) {
      if (isAborted(error)) this.notice = `${label}: cancelled.`;
      else this.error = serializeError(error).message;
      return undefined;
    } finally {
      if (this.running === controller) {
        this.running = undefined;
        this.progress = undefined;
      }
    }
  }

  listing = $state.raw<SceneListing | undefined>(undefined);
  /** Extra few-shot picks besides the query: places like (positives) and unlike (negatives) it. */
  positives = $state.raw<{ lon: number; lat: number; col: number; row: number }[]>([]);
  negatives = $state.raw<{ lon: number; lat: number; col: number; row: number }[]>([]);
  pca = $state.raw<{ image: ImageData; explained: [number, number, number] } | undefined>(undefined);

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
    if (state.model && !(await this.chooseLinkedModel(state.model))) return;
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

  /** Selects the model a link names; says so (and stops) when it is not here or differs. */
  private async chooseLinkedModel(model: NonNullable<ViewState['model']>): Promise<boolean> {
    await this.models.whenLoaded();
    const option = this.models.options.find((o) => o.id === model.id);
    if (!option) {
      this.notice = `The link was made with the model "${model.id}", which this app does not have. Choose a model and compute the embeddings.`;
      return false;
    }
    this.models.select(option.id);
    this.models.factor = model.factor ?? 1;
    const hashes =
      option.kind === 'manifest' ? option.manifest.variants.map((v) => v.sha256.slice(0, 12)) : [];
    if (model.sha256 && !hashes.includes(model.sha256))
      this.notice = `The link was made with another version of ${option.name} (SHA-256 ${model.sha256}…): results may differ slightly.`;
    return true;
  }

  /** Names from a saved session: applied now if the clusters exist, else when they arrive. */
  restoreClusterNames(names: string[]): void {
    if (this.clusters) this.clusterNames = this.clusters.counts.map((_, i) => names[i] ?? `cluster ${i + 1}`);
    else this.pendingClusterNames = names;
  }

  /** Restores a saved session's labels once its clusters are computed again. */
  setPendingClusterNames(names: string[]): void {
    this.pendingClusterNames = names;
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
      await this.analysis.setGrid(outcome.grid);
      this.embeddings = outcome.grid;
      this.computedWith = { id: outcome.info.model, sha256: outcome.info.sha256, factor: settings.factor };
      this.analysisGrid = outcome.gridSpec;
      this.analysisCorners = gridCornersWgs84(outcome.gridSpec);
      this.embeddingsReady = true;
      this.encodedSteps = series?.map((s) => s.datetime.slice(0, 7)) ?? [];
      this.change = undefined;
      this.similarity = undefined;
      this.clusters = undefined;
      this.pca = undefined;
      this.places = [];
      this.query = undefined;
      this.positives = [];
      this.negatives = [];
    });
  }

  /** Change to another date: per-pixel cosine distance, the date, and the shown threshold. */
  change = $state.raw<(ChangeResult & { label: string }) | undefined>(undefined);
  changeThreshold = $state(0.5);

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

  /** Cosine similarity of every pixel to the clicked one, and the 10 most similar places. */
  /**
   * Click: a new query from this place. Shift-click adds a place like the wanted ones
   * (positive), alt-click one unlike them (negative): the query becomes the mean of the
   * positives minus the mean of the negatives (few-shot).
   */
  async queryAt(
    lon: number,
    lat: number,
    mode: 'replace' | 'positive' | 'negative' = 'replace',
  ): Promise<void> {
    const grid = this.analysisGrid;
    if (!grid || !this.embeddingsReady) return;
    const [x, y] = converter(4326, grid.epsg)([lon, lat]);
    const [col, row] = crsToPixel(grid.transform, x, y).map(Math.floor) as [number, number];
    if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) {
      this.notice = 'That point is outside the scene.';
      return;
    }
    const pick = { lon, lat, col, row };
    const first = mode === 'replace' || !this.query;
    const positives = first ? [] : [...this.positives];
    const negatives = first ? [] : [...this.negatives];
    if (mode === 'negative' && !first) negatives.push(pick);
    else if (!first) positives.push(pick);
    await this.run('similarity', 'Similarity', async (signal) => {
      const query = first ? pick : this.query!;
      const index = (p: { col: number; row: number }) => p.row * grid.width + p.col;
      const result = await this.analysis.search(
        {
          positives: [index(query), ...positives.map(index)],
          negatives: negatives.map(index),
          topK: { k: 10, minSeparationPx: 10 },
        },
        signal,
      );
      const toWgs = converter(grid.epsg, 4326);
      this.places = result.places.map((p, i) => {
        const [plon, plat] = toWgs(pixelToCrs(grid.transform, p.col + 0.5, p.row + 0.5));
        return { rank: i + 1, col: p.col, row: p.row, lon: plon, lat: plat, score: p.score };
      });
      this.query = query;
      this.positives = positives;
      this.negatives = negatives;
      this.threshold = defaultThreshold(result.histogram, result.min, result.max);
      this.similarity = result;
    });
  }

  /** PCA of the embeddings as an RGB layer: similar embeddings get similar colours. */
  async computePca(): Promise<void> {
    if (!this.embeddingsReady) return;
    await this.run('similarity', 'PCA colours', async (signal) => {
      const result = await this.analysis.pca({}, signal);
      const grid = this.analysisGrid!;
      this.pca = { image: new ImageData(result.rgba, grid.width, grid.height), explained: result.explained };
    });
  }

  /** Esc: drop the query, its heat map and its list. */
  clearQuery(): void {
    this.positives = [];
    this.negatives = [];
    this.similarity = undefined;
    this.places = [];
    this.query = undefined;
  }

  async cluster(k: number, seed: number): Promise<void> {
    if (!this.embeddingsReady) return;
    if (!Number.isInteger(k) || k < 2 || k > 20) {
      this.error = new AppError('bad-input', `k must be a whole number from 2 to 20 (got ${k}).`).message;
      return;
    }
    await this.run('cluster', `k-means, k = ${k}`, async (signal) => {
      this.clusterSettings = { k, seed };
      const result = await this.analysis.cluster(
        k,
        seed,
        (iteration) => {
          this.progress = {
            task: 'cluster',
            label: `k-means, k = ${k}`,
            done: iteration,
            total: 30,
            unit: 'iterations',
          };
        },
        signal,
      );
      const pending = this.pendingClusterNames;
      this.pendingClusterNames = undefined;
      this.clusterNames = result.counts.map((_, i) => pending?.[i] ?? `cluster ${i + 1}`);
      this.clusters = result;
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
  ): Promise<void> {
    const legend = snapshotLegend(
      legendFor,
      this.similarity,
      this.threshold,
      this.clusters,
      this.clusterNames,
    );
    await this.run('export', 'Map snapshot', async () => {
      downloadFile(await snapshotPng(map, legend, this.scene?.datetime), this.fileName('map', 'png'));
    });
  }

  async dispose(): Promise<void> {
    this.running?.abort();
    this.sceneClient.dispose();
    this.analysis.dispose();
    await this.encoderClient.dispose();
  }
}
