/**
 * How fast each encoder runs on this device, measured (a short probe before the first run of
 * an encoder and backend, and every finished run) and remembered in the browser. Estimates
 * are ranges from these measurements instead of constants measured elsewhere: spectral said
 * "~1 s" and took 3.6 s, MOSAIKS "~3 min" and took 9.5 s, Presto on a software WebGPU adapter
 * "~4 s" and ran for minutes. The measurements also keep the app off a backend that proved
 * slower than WASM here.
 */

/** Where a rate was measured: the model, the backend and the precision it ran with. */
export interface RateKey {
  model: string;
  backend: string;
}

/** Throughput in work units per second: encoded pixels, or input pixels for MOSAIKS (rateUnits). */
export interface RateRange {
  low: number;
  high: number;
  /** How many measurements it rests on. */
  samples: number;
}

/** What the book keeps in the browser (localStorage or any string store). */
export interface TextStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'eee.throughput';
/** The last few measurements per key: the device's load varies, the range shows how much. */
const KEEP = 5;

/**
 * Work units of an encoding, the quantity rates are measured in: each encoded pixel for
 * per-pixel models (its cost does not depend on the pixel size), each input pixel for patch
 * models (MOSAIKS' convolutions run over every pixel, whatever the patch size), times the time
 * steps. `unit` is the encoder family's ('pixels' or 'patches'; this area cannot ask the
 * encoder registry, so the patch family's id is still taken for 'patches', as callers
 * written before the registry pass it).
 */
export function rateUnits(unit: string, scenePixels: number, factor: number, steps = 1): number {
  const perInputPixel = unit === 'patches' || unit === 'mosaiks';
  const encoded = perInputPixel ? scenePixels : Math.ceil(scenePixels / (factor * factor));
  return encoded * Math.max(1, steps);
}

export class ThroughputBook {
  private readonly rates: Record<string, number[]>;

  constructor(private readonly store: TextStore | undefined) {
    this.rates = readRates(store);
  }

  /** Records one measurement (units per second); ignored when not a positive finite rate. */
  record(key: RateKey, unitsPerSecond: number): void {
    if (!(unitsPerSecond > 0 && Number.isFinite(unitsPerSecond))) return;
    const id = keyOf(key);
    this.rates[id] = [...(this.rates[id] ?? []), unitsPerSecond].slice(-KEEP);
    try {
      this.store?.setItem(STORAGE_KEY, JSON.stringify(this.rates));
    } catch {
      // A full or refused store only means the next visit measures again.
    }
  }

  /** The measured range for a model on a backend (any backend when absent), or undefined. */
  rate(model: string, backend?: string): RateRange | undefined {
    const all = Object.entries(this.rates)
      .filter(([id]) => {
        const k = parseKey(id);
        return k.model === model && (backend === undefined || k.backend === backend);
      })
      .flatMap(([, v]) => v);
    if (!all.length) return undefined;
    return { low: Math.min(...all), high: Math.max(...all), samples: all.length };
  }

  /**
   * Whether this device measured WebGPU slower than WASM for the model (both measured): the
   * automatic choice then takes WASM. Compared on the best of each: a backend is slower only
   * when even its best run lost.
   */
  /**
   * The backend preference a run of `model` starts from: Automatic, where WebGPU was measured
   * slower than WASM here, is WASM (the choice calibration makes), so the cache is looked up
   * and a second date encoded on that backend, not on the WebGPU Automatic would otherwise take.
   */
  startingPreference<P extends 'auto' | 'wasm' | 'webgpu'>(model: string, preference: P): P | 'wasm' {
    return preference === 'auto' && this.webgpuSlowerThanWasm(model) ? 'wasm' : preference;
  }

  webgpuSlowerThanWasm(model: string): { webgpu: number; wasm: number } | undefined {
    const gpu = this.rate(model, 'webgpu');
    const cpu = this.rate(model, 'wasm');
    if (!gpu || !cpu || gpu.high >= cpu.high) return undefined;
    return { webgpu: gpu.high, wasm: cpu.high };
  }
}

function keyOf(k: RateKey): string {
  return `${k.model}|${k.backend}`;
}

function parseKey(id: string): RateKey {
  const [model = '', backend = ''] = id.split('|');
  return { model, backend };
}

function readRates(store: TextStore | undefined): Record<string, number[]> {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(STORAGE_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Record<string, number[]> = {};
    for (const [id, v] of Object.entries(parsed))
      if (Array.isArray(v)) out[id] = v.filter((x): x is number => typeof x === 'number' && x > 0);
    return out;
  } catch {
    return {};
  }
}

/**
 * "~10–20 s", "~2–4 min" or "~1 s": a time range as people read it, each end rounded to a
 * unit that suits the longer one.
 */
export function formatRange(lowSeconds: number, highSeconds: number): string {
  const lo = Math.min(lowSeconds, highSeconds);
  const hi = Math.max(lowSeconds, highSeconds);
  if (hi < 90) {
    const a = Math.max(1, Math.round(lo));
    const b = Math.max(1, Math.round(hi));
    return a === b ? `~${a} s` : `~${a}–${b} s`;
  }
  const a = Math.max(1, Math.round(lo / 60));
  const b = Math.max(1, Math.round(hi / 60));
  return a === b ? `~${a} min` : `~${a}–${b} min`;
}

/**
 * The time `units` of work take: from this device's measured range when there is one (a
 * margin of 20% each way, as the machine's load varies), else from `fallback` units/s, a rate
 * measured elsewhere, spread 4x each way and said to be a guess.
 */
export function estimateTime(
  units: number,
  measured: RateRange | undefined,
  fallback: number,
): { text: string; measured: boolean } {
  if (measured)
    return { text: formatRange(units / (measured.high * 1.2), units / (measured.low * 0.8)), measured: true };
  return { text: formatRange(units / (fallback * 4), units / (fallback / 4)), measured: false };
}
