import type { ChangeResult, ClusterResult, SimilarityResult } from '../lib/analysis/index.ts';
import { DEFAULT_MAX_ITERATIONS } from '../lib/analysis/index.ts';
import { AnalysisClient } from '../lib/clients/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import { AppError } from '../lib/errors.ts';
import { converter, crsToPixel, type GridSpec, gridCornersWgs84, pixelToCrs } from '../lib/geo/index.ts';
import type { Corners } from '../lib/layers/index.ts';
import { timedStage } from '../lib/perf/index.ts';
import { defaultClusterName } from '../lib/render/index.ts';
import { defaultThreshold } from '../lib/state/index.ts';
import type { RankedPlace } from './explorer-types.ts';
import type { Job } from './job.svelte.ts';
import type { LayerStack } from './layer-stack.svelte.ts';

/** A place picked on the map, and its cell of the embeddings' grid. */
type MapPick = { lon: number; lat: number; col: number; row: number };

/** What the analysis store reads from the rest of the controller, and where it speaks. */
export interface AnalysisContext {
  /** The map's layers: each new result comes to the top. */
  readonly layers: LayerStack;
  say(notice: string): void;
  fail(error: string): void;
}

/** How a map pick joins the query: it replaces it, or adds a place like or unlike it. */
export type PickMode = 'replace' | 'positive' | 'negative';

/**
 * The analysis job's store: the analysis worker, the embeddings it holds (shared memory: the
 * same grid the encoder filled), and the answers on them (similarity, few-shot picks, clusters,
 * PCA, change). Its Job (controller, progress) is the analysis one: a click or k-means never
 * cancels an encode or an export, and new embeddings cancel only this job.
 */
export class AnalysisStore {
  embeddingsReady = $state(false);
  /** The embeddings the analysis worker also holds, for exports and classification. */
  embeddings = $state.raw<EmbeddingGrid | undefined>(undefined);
  /** The grid of the embeddings: the scene's, or a coarser one for slow encoders. */
  gridSpec = $state.raw<GridSpec | undefined>(undefined);
  corners = $state.raw<Corners | undefined>(undefined);
  similarity = $state.raw<SimilarityResult | undefined>(undefined);
  query = $state.raw<MapPick | undefined>(undefined);
  places = $state.raw<RankedPlace[]>([]);
  /** Extra few-shot picks besides the query: places like (positives) and unlike (negatives) it. */
  positives = $state.raw<MapPick[]>([]);
  negatives = $state.raw<MapPick[]>([]);
  /**
   * What a click on the map does without a modifier key: a new query, or a like or unlike
   * pick added to it. Touch screens have no shift or alt, so the panel offers the choice.
   */
  clickMode = $state<PickMode>('replace');
  threshold = $state(0.9);
  /**
   * Whether the user moved the threshold: a new click then keeps it (each click otherwise
   * picks one from its own score histogram). New embeddings make it automatic again, since
   * another model's scores lie on another scale.
   */
  thresholdSetByUser = $state(false);
  clusters = $state.raw<ClusterResult | undefined>(undefined);
  /** The analyst's names for clusters ("pasture"), index = cluster label. */
  clusterNames = $state<string[]>([]);
  clusterSettings = $state.raw<{ k: number; seed: number } | undefined>(undefined);
  pca = $state.raw<{ image: ImageData; explained: [number, number, number] } | undefined>(undefined);
  /** Change to another date: per-pixel cosine distance, the date, and the shown threshold. */
  change = $state.raw<(ChangeResult & { label: string }) | undefined>(undefined);
  changeThreshold = $state(0.5);
  /** The other date of the change on screen, when it came from another date (links name it). */
  changeLink = $state.raw<{ items: string[]; label: string } | undefined>(undefined);

  private readonly client = new AnalysisClient();
  private pendingClusterNames: string[] | undefined;
  /**
   * Bumped when new embeddings replace those the analysis worker holds: an answer computed on
   * the previous grid is dropped rather than shown over the new one.
   */
  private gridGeneration = 0;

  constructor(
    readonly job: Job,
    private readonly ctx: AnalysisContext,
  ) {}

  /**
   * New embeddings (computed, cached or read): the analysis worker gets the grid, and every
   * answer derived from the previous grid goes, since it no longer applies.
   */
  async show(grid: EmbeddingGrid, gridSpec: GridSpec): Promise<void> {
    // Answers on the previous grid (a click, k-means) stop: they would land on the new one.
    this.job.cancel();
    this.gridGeneration++;
    await timedStage('grid', () => this.client.setGrid(grid));
    this.embeddings = grid;
    this.gridSpec = gridSpec;
    this.corners = gridCornersWgs84(gridSpec);
    this.embeddingsReady = true;
    this.thresholdSetByUser = false;
    this.clearResults();
  }

  /** A new scene: the embeddings and every answer on them no longer apply. */
  forget(): void {
    this.job.cancel();
    this.gridGeneration++;
    this.embeddingsReady = false;
    this.embeddings = undefined;
    this.gridSpec = undefined;
    this.corners = undefined;
    this.clusterSettings = undefined;
    this.clearResults();
  }

  private clearResults(): void {
    this.change = undefined;
    this.similarity = undefined;
    this.clusters = undefined;
    this.pca = undefined;
    this.places = [];
    this.query = undefined;
    this.positives = [];
    this.negatives = [];
  }

  /** Throws 'aborted' when new embeddings arrived since `generation`: the answer is stale. */
  private assertCurrentGrid(generation: number, what: string): void {
    if (generation !== this.gridGeneration)
      throw new AppError('aborted', `${what} was cancelled: new embeddings replaced those it ran on.`);
  }

  /** Names from a saved session: applied now if the clusters exist, else when they arrive. */
  restoreClusterNames(names: string[]): void {
    if (this.clusters)
      this.clusterNames = this.clusters.counts.map((_, i) => names[i] ?? defaultClusterName(i));
    else this.pendingClusterNames = names;
  }

  /** Restores a saved session's labels once its clusters are computed again. */
  setPendingClusterNames(names: string[]): void {
    this.pendingClusterNames = names;
  }

  /**
   * Click: a new query from this place. Shift-click adds a place like the wanted ones
   * (positive), alt-click one unlike them (negative): the query becomes the mean of the
   * positives minus the mean of the negatives (few-shot).
   */
  async queryAt(lon: number, lat: number, mode: PickMode = 'replace'): Promise<void> {
    const grid = this.gridSpec;
    if (!grid || !this.embeddingsReady) return;
    const [x, y] = converter(4326, grid.epsg)([lon, lat]);
    const [col, row] = crsToPixel(grid.transform, x, y).map(Math.floor) as [number, number];
    if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) {
      this.ctx.say('That point is outside the scene.');
      return;
    }
    const pick = { lon, lat, col, row };
    const first = mode === 'replace' || !this.query;
    const positives = first ? [] : [...this.positives];
    const negatives = first ? [] : [...this.negatives];
    if (mode === 'negative' && !first) negatives.push(pick);
    else if (!first) positives.push(pick);
    const generation = this.gridGeneration;
    await this.job.run('Similarity', async (signal) => {
      const query = first ? pick : this.query!;
      const index = (p: { col: number; row: number }) => p.row * grid.width + p.col;
      const result = await timedStage('analysis', () =>
        this.client.search(
          {
            positives: [index(query), ...positives.map(index)],
            negatives: negatives.map(index),
            topK: { k: 10, minSeparationPx: 10 },
          },
          signal,
        ),
      );
      this.assertCurrentGrid(generation, 'Similarity');
      const toWgs = converter(grid.epsg, 4326);
      this.places = result.places.map((p, i) => {
        const [plon, plat] = toWgs(pixelToCrs(grid.transform, p.col + 0.5, p.row + 0.5));
        return { rank: i + 1, col: p.col, row: p.row, lon: plon, lat: plat, score: p.score };
      });
      this.query = query;
      this.positives = positives;
      this.negatives = negatives;
      if (!this.thresholdSetByUser)
        this.threshold = defaultThreshold(result.histogram, result.min, result.max);
      this.similarity = result;
      this.ctx.layers.raise('similarity');
    });
  }

  /** The user moved the threshold slider: later clicks keep this value. */
  setThreshold(value: number): void {
    this.threshold = value;
    this.thresholdSetByUser = true;
  }

  /** Back to a threshold chosen from each query's scores (now, and for later clicks). */
  automaticThreshold(): void {
    this.thresholdSetByUser = false;
    const s = this.similarity;
    if (s) this.threshold = defaultThreshold(s.histogram, s.min, s.max);
  }

  /** PCA of the embeddings as an RGB layer: similar embeddings get similar colours. */
  async computePca(): Promise<void> {
    if (!this.embeddingsReady) return;
    const generation = this.gridGeneration;
    // Its progress shows beside the PCA button (the embeddings panel).
    await this.job.runFrom('embeddings', 'PCA colours', async (signal) => {
      const result = await this.client.pca({}, signal);
      this.assertCurrentGrid(generation, 'PCA colours');
      const grid = this.gridSpec!;
      this.pca = { image: new ImageData(result.rgba, grid.width, grid.height), explained: result.explained };
      this.ctx.layers.raise('pca');
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
      this.ctx.fail(new AppError('bad-input', `k must be a whole number from 2 to 20 (got ${k}).`).message);
      return;
    }
    const generation = this.gridGeneration;
    const { job } = this;
    await job.runFrom('clusters', `k-means, k = ${k}`, async (signal) => {
      this.clusterSettings = { k, seed };
      const result = await this.client.cluster(
        k,
        seed,
        (iteration) => job.report(`k-means, k = ${k}`, iteration, DEFAULT_MAX_ITERATIONS, 'iterations'),
        signal,
      );
      this.assertCurrentGrid(generation, 'Clustering');
      const pending = this.pendingClusterNames;
      this.pendingClusterNames = undefined;
      this.clusterNames = result.counts.map((_, i) => pending?.[i] ?? defaultClusterName(i));
      this.clusters = result;
      this.ctx.layers.hiddenClusters = new Set();
      this.ctx.layers.raise('clusters');
    });
  }

  /**
   * The per-pixel change from the embeddings on screen to `other` (same grid) as a layer;
   * `link` is the other date's items when it came from one (a link names them).
   */
  async changeTo(other: EmbeddingGrid, label: string, link?: { items: string[] }): Promise<void> {
    this.changeLink = undefined;
    // An analysis job: it runs in the analysis worker (cancelling restarts that worker).
    const generation = this.gridGeneration;
    await this.job.runFrom('change', `Change to ${label}`, async (signal) => {
      await this.client.setOtherGrid(other);
      const result = await this.client.change(signal);
      this.assertCurrentGrid(generation, 'Change detection');
      this.changeThreshold = defaultThreshold(result.histogram, result.min, result.max);
      this.change = { ...result, label };
      this.changeLink = link ? { items: [...link.items], label } : undefined;
      this.ctx.layers.raise('change');
    });
  }

  dispose(): void {
    this.job.cancel();
    this.client.dispose();
  }
}
