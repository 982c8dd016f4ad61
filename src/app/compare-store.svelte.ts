import type { Agreement, SearchResult } from '../lib/analysis/index.ts';
import type { PrecomputedClient } from '../lib/clients/index.ts';
import { AnalysisClient } from '../lib/clients/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import { AppError } from '../lib/errors.ts';
import type { GridSpec } from '../lib/geo/index.ts';
import type { AnalysisStore } from './analysis-store.svelte.ts';
import { Job } from './job.svelte.ts';

/** A second embedding set on the grid of those on screen, and its answer to the same click. */
export class CompareStore {
  /** What the second set is ("synthetic 2022", "AlphaEarth 2022"); undefined: no comparison. */
  label = $state<string | undefined>(undefined);
  /** The other set's similarity to the same pick(s) as the map on screen. */
  similarity = $state.raw<SearchResult | undefined>(undefined);
  agreement = $state.raw<Agreement | undefined>(undefined);
  /** Which set's similarity the map shows: the one on screen (A) or the other (B). */
  showOther = $state(false);
  error = $state<string | undefined>(undefined);
  readonly job = new Job('analysis', {
    onStart: () => {
      this.error = undefined;
    },
    onError: (message) => {
      this.error = message;
    },
    onNotice: () => undefined,
  });
  /** Its own analysis worker: the explorer's keeps the set on screen. */
  private analysis: AnalysisClient | undefined;
  private grid: GridSpec | undefined;

  constructor(private readonly precomputed: PrecomputedClient) {}

  /** Takes the other set (same grid as `onScreen`); the next click is answered by both. */
  async setOther(
    embeddings: EmbeddingGrid,
    grid: GridSpec,
    onScreen: GridSpec | undefined,
    label: string,
  ): Promise<void> {
    if (!onScreen || onScreen.width !== grid.width || onScreen.height !== grid.height)
      throw new AppError(
        'bad-input',
        `${label} lies on another grid than the embeddings on screen; they cannot be compared pixel by pixel.`,
      );
    this.analysis ??= new AnalysisClient();
    const { width, height, dim, data, valid } = embeddings;
    await this.analysis.setGrid({ width, height, dim, data, valid });
    this.grid = grid;
    this.label = label;
    this.similarity = undefined;
    this.agreement = undefined;
  }

  /** The explorer's current click (query and few-shot picks) on the other set, and how far the two maps agree. */
  async follow(onScreen: AnalysisStore): Promise<void> {
    const query = onScreen.query;
    const mine = onScreen.similarity;
    const grid = this.grid;
    const analysis = this.analysis;
    if (!query || !mine || !grid || !analysis) return;
    const screen = onScreen.gridSpec;
    if (!screen || screen.width !== grid.width || screen.height !== grid.height) return this.clear();
    const index = (p: { col: number; row: number }) => p.row * grid.width + p.col;
    await this.job.run(`Similarity on ${this.label}`, async (signal) => {
      const other = await analysis.search(
        {
          positives: [index(query), ...onScreen.positives.map(index)],
          negatives: onScreen.negatives.map(index),
          topK: { k: 10, minSeparationPx: 10 },
        },
        signal,
      );
      this.similarity = other;
      this.job.report('Agreement of the two maps');
      this.agreement = await this.precomputed.agreement(mine.scores, other.scores, grid.width, grid.height);
    });
  }

  clear(): void {
    this.job.cancel();
    this.analysis?.dispose();
    this.analysis = undefined;
    this.grid = undefined;
    this.label = undefined;
    this.similarity = undefined;
    this.agreement = undefined;
    this.showOther = false;
  }
}
