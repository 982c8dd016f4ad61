import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { CHROMIUM_PATH } from '../tests/e2e/chromium.ts';

/** Extra per-benchmark facts (session creation time, inertia, ...), printed beside the core fields. */
export type Extra = Record<string, number | string | boolean | null>;

export interface BenchEntry {
  unit: string;
  value: number;
  baseline: { name: string; value: number; unit?: string };
  ratio: number;
  ratio_meaning: string;
  runs: number;
  notes: string;
  extra?: Extra;
}

/** What a benchmark that threw reports instead, so one failure does not hide the others. */
export interface BenchFailure {
  error: string;
}

export interface Machine {
  cpus: number;
  cpu_model: string;
  node: string;
  chromium: string;
}

/** Progress goes to stderr: stdout carries only the final JSON object. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Four significant digits for the headline figures: the noise on this machine is far larger. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

/** Flattens `extra` into the entry, as the JSON report shows it. */
export function toJson(entry: BenchEntry | BenchFailure): Record<string, unknown> {
  if ('error' in entry) return { error: entry.error };
  const { extra, ...core } = entry;
  // Seven digits for extras: the inertias of two k-means results differ in the fifth.
  const rounded = Object.fromEntries(
    Object.entries(extra ?? {}).map(([key, v]) => [key, typeof v === 'number' ? round(v, 7) : v]),
  );
  return {
    ...core,
    value: round(core.value),
    baseline: { ...core.baseline, value: round(core.baseline.value) },
    ratio: round(core.ratio),
    ...rounded,
  };
}

function chromiumVersion(): string {
  try {
    // Debian's wrapper script prints a harmless shell warning on stderr; only stdout counts.
    return execFileSync(CHROMIUM_PATH, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch (error) {
    return `unavailable (${error instanceof Error ? error.message : String(error)})`;
  }
}

export function machineInfo(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpu_model: list[0]?.model ?? 'unknown',
    node: process.version,
    chromium: chromiumVersion(),
  };
}
