import { isAborted, serializeError } from '../lib/errors.ts';
import { type Progress, type ProgressPlace, progressPlace, type Task } from './explorer-types.ts';

/** Where a job's outcome is said: the app shows one error line and one notice line. */
export interface JobOutcomes {
  onStart(): void;
  onError(message: string): void;
  onNotice(message: string): void;
}

/**
 * One kind of work the app does (loading a scene, encoding, analysing, exporting), with its
 * own AbortController and progress. A new run of a job cancels that job's previous run and
 * nothing else, so a click on the map (analysis) leaves a long encode running.
 */
export class Job {
  progress = $state.raw<Progress | undefined>(undefined);
  private controller: AbortController | undefined;
  /** Where the running work's progress shows (beside the control that started it). */
  private place: ProgressPlace;

  constructor(
    readonly task: Task,
    private readonly outcomes: JobOutcomes,
  ) {
    this.place = progressPlace(task);
  }

  get running(): boolean {
    return this.progress !== undefined;
  }

  /** Cancels this job's running work, if any; the other jobs go on. */
  cancel(): void {
    this.controller?.abort();
  }

  /** What the progress bar says; `task` is this job's (it is in the type for the UI). */
  report(label: string, done = 0, total = 0, unit = ''): void {
    if (this.controller) this.progress = { task: this.task, place: this.place, label, done, total, unit };
  }

  /**
   * Runs `work` as this job: cancels its previous run, shows progress until it ends, and
   * says how it ended (a cancel is a notice, a failure an error). Resolves to undefined when
   * the work did not complete. Its progress shows where the task's usually does.
   */
  run<T>(label: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    return this.runFrom(progressPlace(this.task), label, work);
  }

  /** run(), with the progress shown at `place` (beside the control that started it). */
  async runFrom<T>(
    place: ProgressPlace,
    label: string,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T | undefined> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.place = place;
    this.outcomes.onStart();
    this.progress = { task: this.task, place, label, done: 0, total: 0, unit: '' };
    try {
      return await work(controller.signal);
    } catch (error) {
      if (isAborted(error)) this.outcomes.onNotice(`${label}: cancelled.`);
      else this.outcomes.onError(serializeError(error).message);
      return undefined;
    } finally {
      if (this.controller === controller) {
        this.controller = undefined;
        this.progress = undefined;
      }
    }
  }
}

/** The app's jobs, one per task, each saying its outcome through `outcomes`. */
export function jobsFor(outcomes: JobOutcomes): Readonly<Record<Task, Job>> {
  const job = (task: Task) => new Job(task, outcomes);
  return { load: job('load'), encode: job('encode'), analysis: job('analysis'), export: job('export') };
}
