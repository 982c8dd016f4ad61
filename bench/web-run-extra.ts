import type { Page } from 'playwright-core';
import { median } from './report.ts';

/** What every in-browser encoder run reports beside its throughput. */
export interface WebRun {
  threads: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  measurement: { sessionCreateMs: number; firstRunMs: number; passMs: number[] };
}

/** How many threads ORT really had, in words for an entry's notes. */
export function describeThreading(run: WebRun): string {
  return run.crossOriginIsolated
    ? `${run.threads} thread(s), page cross-origin isolated`
    : `${run.threads} thread(s) requested but the page is NOT cross-origin isolated, so ORT ran 1 thread`;
}

/** The `extra` fields of a browser encoder entry: threading, session creation, first run, passes. */
export function webRunExtra(run: WebRun): Record<string, number | string | boolean> {
  const m = run.measurement;
  return {
    threads: run.threads,
    cross_origin_isolated: run.crossOriginIsolated,
    hardware_concurrency: run.hardwareConcurrency,
    session_create_ms: m.sessionCreateMs,
    first_run_ms: m.firstRunMs,
    median_pass_ms: median(m.passMs),
    pass_ms: m.passMs.map((ms) => Math.round(ms)).join(','),
  };
}

/**
 * Waits until a bench page publishes its result (or its error) on `window` under the given
 * names, then returns the result; the page's error becomes this one.
 */
export async function pageResult<T>(
  page: Page,
  names: { result: string; error: string },
  timeoutMs: number,
): Promise<T> {
  const read = (key: string) => page.evaluate((k) => (window as unknown as Record<string, unknown>)[k], key);
  await page.waitForFunction(
    ({ result, error }) => {
      const w = window as unknown as Record<string, unknown>;
      return w[result] !== undefined || w[error] !== undefined;
    },
    names,
    { timeout: timeoutMs, polling: 250 },
  );
  const error = await read(names.error);
  if (error !== undefined) throw new Error(`bench page failed: ${String(error)}`);
  const result = await read(names.result);
  if (result === undefined) throw new Error('bench page left no result');
  return result as T;
}
