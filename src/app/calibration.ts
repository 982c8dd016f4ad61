import type { EncoderClient } from '../lib/clients/index.ts';
import type { BackendPreference, ModelOption } from '../lib/encoder/index.ts';
import { familyOf } from '../lib/encoder/index.ts';
import type { Scene } from '../lib/scene/index.ts';
import type { ThroughputBook } from '../lib/state/index.ts';
import { runEncoding } from './run-encoding.ts';

/** A probe shorter than this is grown (16x the pixels) once: too short to time well. */
const MIN_PROBE_MS = 500;

/** Work units per second of a run, from its last progress report (rateUnits' units). */
export function unitsPerSecond(
  p: { done: number; elapsedMs: number; unit: 'pixels' | 'patches' },
  factor: number,
): number {
  if (!(p.elapsedMs > 0) || p.done <= 0) return 0;
  // A MOSAIKS patch of stride x stride stands for that many input pixels.
  return ((p.done * (p.unit === 'patches' ? factor * factor : 1)) / p.elapsedMs) * 1000;
}

/** A block of `side` x `side` pixels from the middle of the scene (a probe's input). */
export function centralBlock(scene: Scene, side: number): Scene {
  const { width: W, height: H, transform: t } = scene.grid;
  const w = Math.min(side, W);
  const h = Math.min(side, H);
  const x0 = Math.floor((W - w) / 2);
  const y0 = Math.floor((H - h) / 2);
  const cut = <T extends Float32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const out = make(w * h);
    for (let r = 0; r < h; r++) out.set(a.subarray((y0 + r) * W + x0, (y0 + r) * W + x0 + w), r * w);
    return out;
  };
  const valid = cut(scene.valid, (n) => new Uint8Array(n));
  return {
    ...scene,
    id: `${scene.id}#probe`,
    // A block cut here is sent with its pixels, not read by the whole scene's handle.
    handle: undefined,
    grid: {
      width: w,
      height: h,
      epsg: scene.grid.epsg,
      transform: { ...t, originX: t.originX + x0 * t.resX, originY: t.originY - y0 * t.resY },
    },
    reflectance: scene.reflectance.map((b) => cut(b, (n) => new Float32Array(n))),
    valid,
    validFraction: valid.reduce((a, v) => a + v, 0) / Math.max(1, w * h),
  };
}

/** Encodes a central block and returns the backend it ran on and its rate (units/s). */
async function probe(
  option: ModelOption,
  scene: Scene,
  settings: { factor: number; preference: BackendPreference },
  client: EncoderClient,
  signal: AbortSignal,
): Promise<{ backend: string; rate: number } | undefined> {
  // First probe side (pixels), the family's: learned models are slow, patch models need a few patches.
  let side = familyOf(option).probeSide;
  for (let attempt = 0; attempt < 2; attempt++) {
    const block = centralBlock(scene, side * settings.factor);
    if (block.validFraction === 0) return undefined;
    let last = { done: 0, elapsedMs: 0, unit: 'pixels' as 'pixels' | 'patches' };
    const outcome = await runEncoding(option, block, settings, client, {
      signal,
      onProgress: (p) => {
        last = p;
      },
    });
    const rate = unitsPerSecond(last, settings.factor);
    if (last.elapsedMs >= MIN_PROBE_MS || attempt === 1 || side * 4 * settings.factor > scene.grid.width)
      return rate > 0 ? { backend: outcome.info.backend, rate } : undefined;
    side *= 4;
  }
  return undefined;
}

/**
 * The backend preference to encode with, after measuring this device when it has no
 * measurement of the model yet: a short probe on a block of the scene (a second one on WASM
 * when the automatic choice took WebGPU), remembered in `book`. An automatic choice then
 * never takes a backend measured slower than WASM here; `notice` says so. `runsOn`, the
 * backend the run would take (the cache lookup's model identity), skips the probe when it is
 * WASM: there is nothing to choose between, and the run records its own rate (on the 2-core
 * machine the spectral probes cost ~0.3-0.5 s of a cold Compute).
 */
export async function calibratedPreference(
  option: ModelOption,
  scene: Scene,
  settings: { factor: number; preference: BackendPreference },
  client: EncoderClient,
  book: ThroughputBook,
  report: (message: string) => void,
  signal: AbortSignal,
  runsOn?: string,
): Promise<{ preference: BackendPreference; notice?: string }> {
  const model = option.id;
  if (!book.rate(model) && runsOn !== 'wasm') {
    report(`Measuring ${option.name} on this device`);
    const first = await probe(option, scene, settings, client, signal);
    if (first) book.record({ model, backend: first.backend }, first.rate);
    if (first?.backend === 'webgpu' && settings.preference === 'auto' && !book.rate(model, 'wasm')) {
      const cpu = await probe(option, scene, { ...settings, preference: 'wasm' }, client, signal);
      if (cpu) book.record({ model, backend: cpu.backend }, cpu.rate);
    }
  }
  const slower = settings.preference === 'auto' ? book.webgpuSlowerThanWasm(model) : undefined;
  if (!slower) return { preference: settings.preference };
  const rate = (v: number) => Math.round(v).toLocaleString('en');
  return {
    preference: 'wasm',
    notice: `WASM chosen: on this device WebGPU encoded ${rate(slower.webgpu)} px/s with ${option.name}, slower than WASM's ${rate(slower.wasm)} px/s.`,
  };
}
