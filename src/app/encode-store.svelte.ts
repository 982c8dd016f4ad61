import type { EncoderClient, SceneClient } from '../lib/clients/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import type { EncoderInfo, ModelOption } from '../lib/encoder/index.ts';
import { AppError } from '../lib/errors.ts';
import type { GridSpec } from '../lib/geo/index.ts';
import type { Corners } from '../lib/layers/index.ts';
import { stageEnd, stageStart, timedStage } from '../lib/perf/index.ts';
import type { Scene, SceneListing, SceneProgress, SceneRequest } from '../lib/scene/index.ts';
import type { Job } from './job.svelte.ts';
import type { ModelCatalog } from './model-catalog.svelte.ts';
import { loadOtherDate, loadSeries, rereadable } from './other-dates.ts';
import { connectedEncoder, type EncodingOutcome, lookupEmbeddings, runEncoding } from './run-encoding.ts';

/** What the encode store reads from the rest of the controller, and where its results go. */
export interface EncodeContext {
  readonly scenes: SceneClient;
  readonly models: ModelCatalog;
  /** The scene on screen, the request it came from and the scene list (yearly mode, change). */
  scene(): Scene | undefined;
  sceneRequest(): SceneRequest | undefined;
  listing(): SceneListing | undefined;
  /** The grid of the embeddings on screen (a change must lie on it). */
  analysisGrid(): GridSpec | undefined;
  say(notice: string): void;
  /** New embeddings for the analysis (computed, or from the cache with its note). */
  show(outcome: EncodingOutcome & { factor: number; note?: string }): Promise<void>;
}

/**
 * The encode job's store: it owns the encoder worker (joined to the scene worker, so pixels
 * go worker to worker) and the encode Job's work: computing embeddings, from the browser's
 * cache when it holds them, and encoding another date for a change. Its state is what the
 * UI shows of the encoder: model and backend, the months of a yearly run, the rate, the preview.
 */
export class EncodeStore {
  info = $state.raw<EncoderInfo | undefined>(undefined);
  /** Yearly mode: the months the embeddings were computed over (empty for one scene). */
  steps = $state.raw<string[]>([]);
  rate = $state<number | undefined>(undefined);
  /** How the last run ended when it did not finish (the panel says so beside Compute). */
  stopped = $state<'cancelled' | 'failed' | undefined>(undefined);
  /** Runs started, so that a run cancelled by a newer one leaves what is said to that one. */
  private runs = 0;
  /** Colours of the embeddings computed so far (a thumbnail), while encoding runs, and where they lie. */
  preview = $state.raw<{ image: ImageData; corners: Corners } | undefined>(undefined);

  private readonly client: EncoderClient;
  /** The ORT session is released while the page is hidden; the next compute opens it again. */
  private open = false;

  constructor(
    readonly job: Job,
    private readonly ctx: EncodeContext,
  ) {
    this.client = connectedEncoder(ctx.scenes);
  }

  /** Releases the encoder's session (the page was hidden); computing again reopens it. */
  async release(): Promise<void> {
    if (!this.open || this.job.running) return;
    this.open = false;
    await this.client.release();
  }

  /** Embeddings of the scene on screen with the chosen model (from the cache when it has them). */
  async compute(): Promise<void> {
    const { ctx, job } = this;
    const scene = ctx.scene();
    if (!scene) return;
    // What describes the embeddings on screen, put back if this run does not finish: the
    // line "Encoder: Presto … pixels/s" of a cancelled run read as if it had.
    const shown = { info: this.info, rate: this.rate };
    const run = ++this.runs;
    this.stopped = undefined;
    let runSignal: AbortSignal | undefined;
    const finished = await job.run('Computing embeddings', async (signal) => {
      runSignal = signal;
      const option = ctx.models.selected;
      const series = ctx.models.timeSeries
        ? await loadSeries(
            ctx.scenes,
            ctx.sceneRequest(),
            { listing: ctx.listing(), cadence: ctx.models.cadence },
            scene,
            (month, done, total, p) => job.report(`Reading ${month}: ${p.message}`, done, total, 'months'),
            signal,
          )
        : undefined;
      // Where this device measured the model slower on WebGPU, the lookup keys the WASM run.
      const preference = ctx.models.effectivePreference(option);
      const chosen = { factor: ctx.models.factor, preference, series };
      const cached = await timedStage('cache-lookup', () =>
        lookupEmbeddings(option, scene, chosen, this.client),
      );
      if (cached.notice) ctx.say(cached.notice);
      if (cached.hit) {
        this.info = cached.hit.info;
        this.rate = undefined;
        await ctx.show({ ...cached.hit, factor: chosen.factor });
        return true;
      }
      // The backend the lookup keyed is the one the run takes: on WASM there is nothing to measure.
      const tuned = await ctx.models.calibrate(
        scene,
        this.client,
        (m) => job.report(m),
        signal,
        cached.save?.model.backend,
      );
      const settings = { ...chosen, preference: tuned.preference };
      job.report(`Preparing ${option.name}`);
      stageStart('encode');
      const outcome = await runEncoding(option, scene, settings, this.client, {
        signal,
        save: cached.save,
        onBackendChange: (backend, reason) => {
          if (this.info) this.info = { ...this.info, backend, reason };
          ctx.say(reason);
        },
        onInfo: (info) => {
          this.info = tuned.notice ? { ...info, reason: tuned.notice } : info;
          this.open = true;
        },
        onPreview: (preview) => {
          this.preview = preview;
        },
        onProgress: (p) => {
          const eta = p.done > 0 ? ((p.total - p.done) * p.elapsedMs) / p.done / 1000 : undefined;
          const left = eta === undefined ? '' : ` (about ${Math.ceil(eta)} s left)`;
          job.report(`Computing embeddings${left}`, p.done, p.total, p.unit);
          if (p.elapsedMs > 0) this.rate = (p.done / p.elapsedMs) * 1000;
        },
      }).finally(() => {
        stageEnd('encode');
        this.preview = undefined;
        // The other dates' pixels are encoded (or abandoned): the scene worker frees them.
        ctx.scenes.release(series?.filter((s) => s !== scene) ?? []);
      });
      // The previous embeddings and their layers stay until the new ones are complete; the
      // worker kept the grid in the browser's cache before answering.
      const notice = outcome.saveNote ?? tuned.notice;
      if (notice) ctx.say(notice);
      ctx.models.recordRun(option, outcome.info.backend, this.rate, settings.factor);
      await ctx.show({ ...outcome, factor: settings.factor });
      this.steps = series?.map((s) => s.datetime.slice(0, 7)) ?? [];
      return true;
    });
    // A newer run (which cancelled this one) owns what is said now.
    if (finished || run !== this.runs) return;
    this.info = shown.info;
    this.rate = shown.rate;
    this.stopped = runSignal?.aborted ? 'cancelled' : 'failed';
  }

  /**
   * The embeddings of the same area at another date (these items), with the model and
   * resolution of those on screen; undefined when cancelled or failed (the job says why).
   */
  otherDate(
    itemIds: string[],
    label: string,
    option: ModelOption,
    factor: number,
  ): Promise<EmbeddingGrid | undefined> {
    const { ctx, job } = this;
    const scene = ctx.scene();
    const request = ctx.sceneRequest();
    return job.runFrom('change', `Change to ${label}`, async (signal) => {
      if (!scene) throw new AppError('bad-input', 'Change needs a scene on screen.');
      const source = rereadable(request, 'Change');
      const onRead = (p: SceneProgress) =>
        job.report(`Reading ${label}: ${p.message}`, p.done, p.total, 'steps');
      const other = await loadOtherDate(ctx.scenes, source, itemIds, scene, label, onRead, signal);
      const settings = { factor, preference: ctx.models.effectivePreference(option) };
      const { grid, gridSpec } = await runEncoding(option, other, settings, this.client, {
        signal,
        onProgress: (p) => job.report(`Embeddings of ${label}`, p.done, p.total, p.unit),
      }).finally(() => ctx.scenes.release([other]));
      const current = ctx.analysisGrid();
      if (!current || gridSpec.width !== current.width || gridSpec.height !== current.height)
        throw new AppError(
          'bad-input',
          `The embeddings of ${label} lie on another grid than those on screen.`,
        );
      return grid;
    });
  }

  dispose(): Promise<void> {
    return this.client.dispose();
  }
}
