import type { ClusterResult, SimilarityResult } from '../../workers/analysis-api.ts';
import type { EncoderInfo, EncoderSpec } from '../../workers/encoder-api.ts';
import type { EmbeddingGrid } from '../lib/analysis/embedding-grid.ts';
import { BrowserCache } from '../lib/cache/browser-cache.ts';
import type { CachedEmbeddings } from '../lib/cache/embedding-codec.ts';
import { AnalysisClient } from '../lib/clients/analysis-client.ts';
import { EncoderClient } from '../lib/clients/encoder-client.ts';
import { runExport } from '../lib/clients/export-client.ts';
import { SceneClient } from '../lib/clients/scene-client.ts';
import type { BackendPreference } from '../lib/encoder/capabilities.ts';
import { encodeScene } from '../lib/encoder/encode-scene.ts';
import { isSpectralBand, spectralManifest } from '../lib/encoder/spectral-manifest.ts';
import { AppError, isAborted, serializeError } from '../lib/errors.ts';
import { downloadFile } from '../lib/export/download.ts';
import { exportFileName } from '../lib/export/file-names.ts';
import { placesToCsv } from '../lib/export/places-csv.ts';
import { placesToGeoJson } from '../lib/export/places-geojson.ts';
import { composeSnapshot, type SnapshotLegend } from '../lib/export/snapshot-png.ts';
import { converter, gridCornersWgs84 } from '../lib/geo/crs.ts';
import type { GridSpec } from '../lib/geo/geotransform.ts';
import { crsToPixel, pixelToCrs } from '../lib/geo/geotransform.ts';
import type { Corners } from '../lib/layers/layer-specs.ts';
import { CLUSTER_PALETTE } from '../lib/render/cluster-image.ts';
import { availableComposites, type CompositeId, compositeRgba } from '../lib/render/composites.ts';
import { downsampleScene } from '../lib/scene/downsample.ts';
import type { SceneListing } from '../lib/scene/load-scene.ts';
import type { Scene, SceneListRequest, SceneRequest } from '../lib/scene/scene.ts';
import { defaultThreshold } from '../lib/state/default-threshold.ts';
import type { ViewState } from '../lib/state/url-state.ts';

export type Task = 'load' | 'encode' | 'cluster' | 'similarity' | 'export';

export type ExportKind =
  | 'clusters-geotiff'
  | 'clusters-geojson'
  | 'similarity-geotiff'
  | 'threshold-geojson'
  | 'embeddings-geotiff'
  | 'embeddings-int8'
  | 'places-csv'
  | 'places-geojson';

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
  private pendingThreshold: number | undefined;

  private readonly sceneClient = new SceneClient();
  private readonly encoderClient = new EncoderClient();
  private readonly analysis = new AnalysisClient();
  /** Tiles and embeddings kept in the browser's storage (the Storage panel shows and clears it). */
  readonly cache = new BrowserCache();
  private running: AbortController | undefined;
  /** The grid of the embeddings: the scene's, or a coarser one for slow encoders. */
  analysisGrid = $state.raw<GridSpec | undefined>(undefined);
  analysisCorners = $state.raw<Corners | undefined>(undefined);
  model = $state<'spectral' | 'presto'>('spectral');
  /** Presto runs on blocks of factor x factor pixels (8 = 80 m). */
  prestoFactor = $state(8);
  preference = $state<BackendPreference>('auto');
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

  /** Everything a shared link needs to rebuild this view. */
  get viewState(): ViewState {
    return {
      source: this.source,
      composite: this.composite,
      query: this.query ? { lon: this.query.lon, lat: this.query.lat } : undefined,
      threshold: this.similarity ? this.threshold : undefined,
      k: this.clusterSettings?.k,
      seed: this.clusterSettings?.seed,
    };
  }

  /**
   * Rebuilds a shared view after its source is loaded: embeddings are recomputed here, then
   * the query, threshold and clusters are applied as the link says.
   */
  async restore(state: ViewState): Promise<void> {
    if (!this.scene) return;
    if (state.composite) this.setComposite(state.composite);
    if (!state.query && state.k === undefined) return;
    await this.computeEmbeddings();
    if (!this.embeddingsReady) return;
    if (state.query) {
      this.pendingThreshold = state.threshold;
      await this.queryAt(state.query.lon, state.query.lat);
    }
    if (state.k !== undefined) await this.cluster(state.k, state.seed ?? 1);
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
      this.notice = this.cache.takeNotice(scene.storageNotice) ?? scene.cacheNote ?? this.notice;
      this.analysisGrid = undefined;
      this.analysisCorners = undefined;
      this.source = source;
      this.clusterSettings = undefined;
      this.corners = gridCornersWgs84(scene.grid);
      this.imagery = this.renderComposite(scene, this.composite);
      this.embeddingsReady = false;
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

  /** The encoder spec for the chosen model, and the scene (possibly coarser) it encodes. */
  private encoderPlan(scene: Scene): { spec: EncoderSpec; target: Scene } {
    if (this.model === 'spectral') {
      const supported: readonly string[] = spectralManifest().input.bands;
      return {
        spec: { model: 'spectral', bands: scene.bands.filter((b) => supported.includes(b)) },
        target: scene,
      };
    }
    const month = scene.datetime ? new Date(scene.datetime).getUTCMonth() : Number.NaN;
    if (!Number.isInteger(month)) {
      throw new AppError(
        'bad-input',
        'Presto needs the month of acquisition, and these files carry no date. Use a pack or a STAC scene, or the spectral encoder.',
      );
    }
    const target = downsampleScene(scene, this.prestoFactor);
    const bands = scene.bands.filter((b) => isSpectralBand(b));
    const manifestUrl = new URL(`${import.meta.env.BASE_URL}models/presto/manifest.json`, location.href).href;
    return {
      spec: { model: 'presto', manifestUrl, preference: this.preference, bands, grid: target.grid, month },
      target,
    };
  }

  async computeEmbeddings(): Promise<void> {
    const scene = this.scene;
    if (!scene) return;
    await this.run('encode', 'Computing embeddings', async (signal) => {
      const { spec, target } = this.encoderPlan(scene);
      const cached = await this.cache.findEmbeddings(scene, target, spec);
      if (cached.hit) return this.restoreEmbeddings(cached.hit, target);
      this.progress = {
        task: 'encode',
        label: `Preparing the ${spec.model} encoder`,
        done: 0,
        total: 0,
        unit: '',
      };
      this.encoder = await this.encoderClient.init(spec);
      this.encoderClient.onBackendChange = (backend, reason) => {
        if (this.encoder) this.encoder = { ...this.encoder, backend, reason };
        this.notice = reason;
      };
      const grid = await encodeScene(target, this.encoderClient, {
        dim: this.encoder.dim,
        bands: spec.bands,
        batchSize: spec.model === 'presto' ? 1024 : 32_768,
        signal,
        shared: globalThis.crossOriginIsolated === true,
        onProgress: (p) => {
          const eta =
            p.pixelsDone > 0
              ? ((p.pixelsTotal - p.pixelsDone) * p.elapsedMs) / p.pixelsDone / 1000
              : undefined;
          this.progress = {
            task: 'encode',
            label: `Computing embeddings${eta === undefined ? '' : ` (about ${Math.ceil(eta)} s left)`}`,
            done: p.pixelsDone,
            total: p.pixelsTotal,
            unit: 'pixels',
          };
          if (p.elapsedMs > 0) this.encodeRate = (p.pixelsDone / p.elapsedMs) * 1000;
        },
      });
      this.notice = (await this.cache.saveEmbeddings(cached, grid, this.encoder)) ?? this.notice;
      await this.analysis.setGrid(grid);
      this.embeddings = grid;
      this.analysisGrid = target.grid;
      this.analysisCorners = gridCornersWgs84(target.grid);
      this.embeddingsReady = true;
      this.similarity = undefined;
      this.clusters = undefined;
      this.pca = undefined;
      this.positives = [];
      this.negatives = [];
    });
  }

  /** A cache hit: the grid as computeEmbeddings would have left it, and where it came from. */
  private async restoreEmbeddings(hit: CachedEmbeddings & { note: string }, target: Scene): Promise<void> {
    this.encoder = hit.info;
    this.encodeRate = undefined;
    await this.analysis.setGrid(hit.grid);
    this.embeddings = hit.grid;
    this.analysisGrid = target.grid;
    this.analysisCorners = gridCornersWgs84(target.grid);
    this.embeddingsReady = true;
    this.similarity = undefined;
    this.clusters = undefined;
    this.pca = undefined;
    this.positives = [];
    this.negatives = [];
    this.notice = hit.note;
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
      this.threshold = this.pendingThreshold ?? defaultThreshold(result.histogram, result.min, result.max);
      this.pendingThreshold = undefined;
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
    return exportFileName({
      product,
      qualifier,
      sceneId: this.scene?.id.startsWith('files:') ? 'files' : this.scene?.id,
      datetime: this.scene?.datetime || undefined,
      extension,
    });
  }

  /** Writes one export file (in a worker for the heavy ones) and hands it to the browser. */
  async exportFile(kind: ExportKind): Promise<void> {
    const grid = this.analysisGrid ?? this.scene?.grid;
    if (!grid) return;
    const k = this.clusters?.k ?? 0;
    if (kind === 'places-csv' || kind === 'places-geojson') {
      const places = this.places.map((p) => ({
        index: p.row * grid.width + p.col,
        col: p.col,
        row: p.row,
        score: p.score,
      }));
      if (kind === 'places-csv')
        downloadFile(placesToCsv(places, grid), this.fileName('places', 'csv', 'top10'), 'text/csv');
      else
        downloadFile(
          JSON.stringify(placesToGeoJson(places, grid)),
          this.fileName('places', 'geojson', 'top10'),
          'application/geo+json',
        );
      return;
    }
    await this.run('export', 'Exporting', async (signal) => {
      const c = this.clusters;
      const sim = this.similarity;
      const emb = this.embeddings;
      const jobs = {
        'clusters-geotiff': () =>
          c && {
            kind: 'clusters-geotiff' as const,
            labels: c.labels,
            grid,
            k,
            names: [...this.clusterNames],
          },
        'clusters-geojson': () =>
          c && {
            kind: 'clusters-geojson' as const,
            labels: c.labels,
            grid,
            k,
            names: [...this.clusterNames],
          },
        'similarity-geotiff': () =>
          sim &&
          this.query && { kind: 'similarity-geotiff' as const, scores: sim.scores, grid, query: this.query },
        'threshold-geojson': () =>
          sim && { kind: 'threshold-geojson' as const, scores: sim.scores, grid, threshold: this.threshold },
        'embeddings-geotiff': () =>
          emb && {
            kind: 'embeddings-geotiff' as const,
            data: emb.data,
            valid: emb.valid,
            dim: emb.dim,
            grid,
            encoding: 'float32' as const,
            names: this.encoder?.featureNames ?? [],
          },
        'embeddings-int8': () =>
          emb && {
            kind: 'embeddings-geotiff' as const,
            data: emb.data,
            valid: emb.valid,
            dim: emb.dim,
            grid,
            encoding: 'int8' as const,
            names: this.encoder?.featureNames ?? [],
          },
      };
      const job = jobs[kind]();
      if (!job) throw new AppError('bad-input', 'Nothing to export yet: compute it first.');
      const out = await runExport(job, signal);
      const [product, qualifier, extension] = {
        'clusters-geotiff': ['clusters', `k${k}`, 'tif'],
        'clusters-geojson': ['clusters', `k${k}`, 'geojson'],
        'similarity-geotiff': ['similarity', undefined, 'tif'],
        'threshold-geojson': ['similar-area', `ge${this.threshold.toFixed(3)}`, 'geojson'],
        'embeddings-geotiff': ['embeddings', 'float32', 'tif'],
        'embeddings-int8': ['embeddings', 'int8', 'tif'],
      }[kind] as [string, string | undefined, string];
      downloadFile(out.bytes, this.fileName(product, extension, qualifier), out.mimeType);
      this.notice = `Exported: ${out.summary}.`;
    });
  }

  /** A PNG of the map with the legend of the top layer, a scale bar and the attribution. */
  async exportSnapshot(
    map: { canvas: HTMLCanvasElement; latitude: number; zoom: number },
    legendFor: 'similarity' | 'clusters' | undefined,
  ): Promise<void> {
    const sim = this.similarity;
    const c = this.clusters;
    const legend: SnapshotLegend | undefined =
      legendFor === 'similarity' && sim
        ? { kind: 'colour-bar', title: 'Cosine similarity', min: this.threshold, max: sim.max }
        : legendFor === 'clusters' && c
          ? {
              kind: 'swatches',
              title: 'Clusters',
              items: c.counts.map((_, i) => ({
                name: this.clusterNames[i] ?? `cluster ${i + 1}`,
                colour: CLUSTER_PALETTE[i] ?? [0, 0, 0],
              })),
            }
          : undefined;
    await this.run('export', 'Map snapshot', async () => {
      const year = Number((this.scene?.datetime || new Date().toISOString()).slice(0, 4));
      const blob = await composeSnapshot({
        map: map.canvas,
        legend,
        view: { latitude: map.latitude, zoom: map.zoom },
        pixelRatio: map.canvas.width / Math.max(1, map.canvas.clientWidth),
        year,
      });
      downloadFile(blob, this.fileName('map', 'png'));
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
