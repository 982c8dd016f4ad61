/// <reference types="@webgpu/types" />
import { pixelAreaKm2 } from '../analysis/threshold.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { BufferScope, dispatch, pipeline, readBack, words } from './gpu-run.ts';

// Floats as order-preserving u32 keys, so atomicMin/atomicMax find the range of the scores.
const KEYS = /* wgsl */ `
// NaN tested on the bits: compilers may assume s == s for floats.
fn isNan(f: f32) -> bool {
  return (bitcast<u32>(f) & 0x7fffffffu) > 0x7f800000u;
}
fn key(f: f32) -> u32 {
  let b = bitcast<u32>(f);
  if ((b & 0x80000000u) != 0u) { return ~b; }
  return b | 0x80000000u;
}
fn unkey(k: u32) -> f32 {
  if ((k & 0x80000000u) != 0u) { return bitcast<f32>(k & 0x7fffffffu); }
  return bitcast<f32>(~k);
}`;

const RANGE_WGSL = /* wgsl */ `
struct Params { count: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> scores: array<f32>;
@group(0) @binding(2) var<storage, read_write> range: array<atomic<u32>, 2>;
${KEYS}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = (wg.x + wg.y * nwg.x) * 64u + li;
  if (i >= p.count) { return; }
  let s = scores[i];
  if (isNan(s)) { return; }
  atomicMin(&range[0], key(s));
  atomicMax(&range[1], key(s));
}`;

/**
 * Histogram of the finite scores over [min, max] (as scoreHistogram), the count of scores
 * >= threshold, and the threshold mask packed four pixels to a u32 (byte i%4 = pixel i).
 */
const HISTOGRAM_WGSL = /* wgsl */ `
struct Params { count: u32, bins: u32, threshold: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> scores: array<f32>;
@group(0) @binding(2) var<storage, read_write> range: array<u32, 2>;
@group(0) @binding(3) var<storage, read_write> bins: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read_write> mask: array<u32>;
${KEYS}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let w = (wg.x + wg.y * nwg.x) * 64u + li;
  if (w * 4u >= p.count) { return; }
  let lo = unkey(range[0]);
  let hi = unkey(range[1]);
  var scale = 0.0;
  if (hi > lo) { scale = f32(p.bins) / (hi - lo); }
  var packed = 0u;
  var above = 0u;
  for (var j = 0u; j < 4u; j++) {
    let i = w * 4u + j;
    if (i >= p.count) { break; }
    let s = scores[i];
    if (isNan(s)) { continue; }
    let b = min(u32(floor((s - lo) * scale)), p.bins - 1u);
    atomicAdd(&bins[b], 1u);
    if (s >= p.threshold) {
      packed |= 1u << (8u * j);
      above++;
    }
  }
  mask[w] = packed;
  if (above > 0u) { atomicAdd(&bins[p.bins], above); }
}`;

export interface ScoreStatsGpu {
  counts: Uint32Array;
  min: number;
  max: number;
  mask: Uint8Array;
  count: number;
  areaKm2: number;
}

/** GPU twin of scoreHistogram + thresholdMask, in two passes over the scores. */
export async function scoreStatsGpu(
  device: GPUDevice,
  scores: Float32Array,
  bins: number,
  threshold: number,
  pixelSizeM: number,
  signal?: AbortSignal,
): Promise<ScoreStatsGpu> {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new AppError('bad-input', `Histogram bin count must be a positive integer, got ${bins}.`);
  }
  if (Number.isNaN(threshold)) throw new AppError('bad-input', 'Threshold must be a number.');
  const area = pixelAreaKm2(pixelSizeM);
  throwIfAborted(signal, 'The GPU computation');
  const scope = new BufferScope(device);
  try {
    const n = scores.length;
    const input = scope.input(scores);
    const range = scope.input(new Uint32Array([0xffffffff, 0]));
    const counts = scope.input(new Uint32Array(bins + 1));
    const words4 = Math.ceil(n / 4);
    const mask = scope.storage(words4 * 4);
    const encoder = device.createCommandEncoder();
    dispatch(
      encoder,
      device,
      pipeline(device, RANGE_WGSL),
      [scope.uniform(words([{ u: n }])), input, range],
      Math.ceil(n / 64),
    );
    const params = scope.uniform(words([{ u: n }, { u: bins }, { f: threshold }]));
    dispatch(
      encoder,
      device,
      pipeline(device, HISTOGRAM_WGSL),
      [params, input, range, counts, mask],
      Math.ceil(words4 / 64),
    );
    device.queue.submit([encoder.finish()]);
    const keys = new Uint32Array(await readBack(device, range, 8, signal));
    const all = new Uint32Array(await readBack(device, counts, (bins + 1) * 4, signal));
    const bytes = new Uint8Array(await readBack(device, mask, words4 * 4, signal)).slice(0, n);
    const unkey = (k: number): number => {
      const bits = new Uint32Array([k & 0x80000000 ? k & 0x7fffffff : ~k >>> 0]);
      return new Float32Array(bits.buffer)[0]!;
    };
    const empty = keys[0] === 0xffffffff;
    const count = all[bins]!;
    return {
      counts: all.slice(0, bins),
      min: empty ? Number.NaN : unkey(keys[0]!),
      max: empty ? Number.NaN : unkey(keys[1]!),
      mask: bytes,
      count,
      areaKm2: count * area,
    };
  } finally {
    scope.destroy();
  }
}
