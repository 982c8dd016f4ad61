import { DEFAULT_MAX_ITERATIONS } from '../lib/analysis/kmeans.ts';
import type { ChangeResult, ClusterResult, SimilarityResult } from '../lib/analysis/results.ts';
import { AnalysisClient } from '../lib/clients/analysis-client.ts';
import { AppError } from '../lib/errors.ts';
import { converter } from '../lib/geo/crs.ts';
import { crsToPixel, type GridSpec, pixelToCrs } from '../lib/geo/geotransform.ts';
import type { Corners } from '../lib/layers/layer-specs.ts';
import { timedStage } from '../lib/perf/stages.ts';
import { defaultClusterName } from '../lib/render/cluster-image.ts';
import { defaultThreshold } from '../lib/state/default-threshold.ts';
import type { Progress, RankedPlace, Task } from './explorer-types.ts';
import { Job } from './job.svelte.ts';
import { LayerStack } from './layer-stack.svelte.ts';

/**
 * The analysis half of the explorer's state: the embeddings' grid as the analysis worker
 * holds it, and the answers on it (similarity, few-shot picks, clusters, PCA, change). It
 * owns the analysis worker and one Job (controller and progress) per task; Explorer extends
 * it with sources, encoders and exports.
 */
export class ExplorerAnalysis {
  error = $state<string | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  embeddingsReady = $state(false);
  similarity = $state.raw<SimilarityResult | undefined>(undefined);
  query = $state.raw<{ lon: number; lat: number; col: number; row: number } | undefined>(undefined);
  places = $state.raw<RankedPlace[]>([]);
  clusters = $state.raw<ClusterResult | undefined>(undefined);
  threshold = $state(0.9);
  /**
   * Whether the user moved the threshold: a new click then keeps it (each click otherwise
   * picks one from its own score histogram). New embeddings make it automatic again, since
   * another model's scores lie on another scale.
   */
  thresholdSetByUser = $state(false);
  /** The analyst's names for clusters ("pasture"), index = cluster label. */
  clusterNames = $state<string[]>([]);
  protected pendingClusterNames: string[] | undefined;
  clusterSettings = $state.raw<{ k: number; seed: number } | undefined>(undefined);
  protected readonly analysis = new AnalysisClient();
  /** The map's layers: order, visibility, opacity; each new result comes to the top. */
  readonly layers = new LayerStack();
  /** One job per task: a click (analysis) or an export no longer cancels a running encode. */
  readonly jobs: Readonly<Record<Task, Job>>;
  /**
   * Bumped when new embeddings replace those the analysis worker holds: an answer computed on
   * the previous grid is dropped rather than shown over the new one.
   */
  protected gridGeneration = 0;
  /** The grid of the embeddings: the scene's, or a coarser one for slow encoders. */
  analysisGrid = $state.raw<GridSpec | undefined>(undefined);
  analysisCorners = $state.raw<Corners | undefined>(undefined);
  /** Extra few-shot picks besides the query: places like (positives) and unlike (negatives) it. */
  positives = $state.raw<{ lon: number; lat: number; col: number; row: number }[]>([]);
  negatives = $state.raw<{ lon: number; lat: number; col: number; row: number }[]>([]);
  pca = $state.raw<{ image: ImageData; explained: [number, number, number] } | undefined>(undefined);
  /** Change to another date: per-pixel cosine distance, the date, and the shown threshold. */
  change = $state.raw<(ChangeResult & { label: string }) | undefined>(undefined);
  changeThreshold = $state(0.5);
  /** The other date of the change on screen, when it came from another date (links name it). */
  protected changeLink = $state.raw<{ items: string[]; label: string } | undefined>(undefined);

  constructor() {
    const outcomes = {
      onStart: () => {
        this.error = undefined;
        this.notice = undefined;
      },
      onError: (message: string) => {
        this.error = message;
      },
      onNotice: (message: string) => {
        this.notice = message;
      },
    };
    const job = (task: Task) => new Job(task, outcomes);
    this.jobs = {
      load: job('load'),
      encode: job('encode'),
      analysis: job('analysis'),
      export: job('export'),
    };
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

  protected run<T>(
    task: Task,
    label: string,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T | undefined> {
    return this.jobs[task].run(label, work);
  }

  /** Throws 'aborted' when new embeddings arrived since `generation`: the answer is stale. */
  protected assertCurrentGrid(generation: number, what: string): void {
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
    const generation = this.gridGeneration;
    await this.run('analysis', 'Similarity', async (signal) => {
      const query = first ? pick : this.query!;
      const index = (p: { col: number; row: number }) => p.row * grid.width + p.col;
      const result = await timedStage('analysis', () =>
        this.analysis.search(
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
      this.layers.raise('similarity');
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
    await this.jobs.analysis.runFrom('embeddings', 'PCA colours', async (signal) => {
      const result = await this.analysis.pca({}, signal);
      this.assertCurrentGrid(generation, 'PCA colours');
      const grid = this.analysisGrid!;
      this.pca = { image: new ImageData(result.rgba, grid.width, grid.height), explained: result.explained };
      this.layers.raise('pca');
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
    const generation = this.gridGeneration;
    const job = this.jobs.analysis;
    await job.runFrom('clusters', `k-means, k = ${k}`, async (signal) => {
      this.clusterSettings = { k, seed };
      const result = await this.analysis.cluster(
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
      this.layers.hiddenClusters = new Set();
      this.layers.raise('clusters');
    });
  }
}
