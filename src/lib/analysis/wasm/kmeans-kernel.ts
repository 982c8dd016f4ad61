import { addToI32, centroidScore, countedLoop, multiplyAdd, steppedLoop } from './emit.ts';
import { op } from './ops.ts';
import { buildModule, F32, F64, I32, V128, type WasmFunction } from './wasm-bytes.ts';

// Parameter and local indices of `assign`.
const IDX = 0; // u32 pixel index per member
const N = 1; // members in this call
const DIM_BYTES = 2; // dim * 4, a multiple of 16
const DATA = 3; // f32 embeddings, pixel p at DATA + p * DIM_BYTES
const CENT = 4; // f32 k x dim centroids
const K = 5;
const CN = 6; // f32 |c|^2 per centroid
const XN = 7; // f32 |x|^2 per member
const LABELS = 8; // u8 per member
const DIST = 9; // f32 squared distance per member (out)
const SUMS = 10; // f32 k x dim, accumulated
const COUNTS = 11; // i32 k, accumulated
const OUT = 12; // f64 inertia of this call (out)
const J = 13;
const XP = 14;
const C = 15;
const CP = 16;
const D = 17;
const BEST = 18;
const BC = 19;
const S = 20;
const ACC = 21;
const INERTIA = 22;
const CHANGED = 23;
const SP = 24;
const ACC2 = 25;
const CP2 = 26;
const ACC3 = 27;
const CP3 = 28;
const ACC4 = 29;
const CP4 = 30;
/** Centroids per pass over x; k is padded to a multiple of it. */
export const CENTROID_GROUP = 4;

/**
 * assign(...) -> changed: for each member, the nearest centroid by |c|^2 - 2 x.c (f32x4 SIMD
 * dot products), its label (counting changes), its squared distance |x|^2 + that, and the
 * fused accumulation of the member into its centroid's f32 sum and count. Callers keep each
 * call to a modest range and fold the f32 sums into float64 between calls, so float32
 * rounding stays bounded.
 */
function assignFunction(): WasmFunction {
  const dimLoop = (inner: number[]) => steppedLoop(D, 16, op.get(DIM_BYTES), inner);
  // s = cn[c + offset] - 2 * (lane0 + lane1 + lane2 + lane3); keep it when it beats best.
  const cnAt = (offset: number) => [
    ...op.get(CN),
    ...op.get(C),
    ...op.i32(offset),
    ...op.i32Add,
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.f32Load,
  ];
  const score = (acc: number, offset: number) => [
    ...centroidScore(cnAt(offset), acc),
    ...op.tee(S),
    ...op.get(BEST),
    ...op.f32Lt,
    ...op.if,
    ...op.get(S),
    ...op.set(BEST),
    ...op.get(C),
    ...op.i32(offset),
    ...op.i32Add,
    ...op.set(BC),
    ...op.end,
  ];
  // The v128 at byte d of the vector whose address is in local `base`.
  const lane = (base: number) => [...op.get(base), ...op.get(D), ...op.i32Add, ...op.v128Load];
  const fma = (acc: number, cp: number) => multiplyAdd(acc, lane(XP), lane(cp));
  // Four centroids per pass over x: four independent add chains in flight, a quarter of the
  // x loads. k is a multiple of 4 here (the caller pads with centroids whose |c|^2 is +Inf).
  const centroidLoop = [
    ...op.f32(Number.POSITIVE_INFINITY),
    ...op.set(BEST),
    ...op.i32(0),
    ...op.set(BC),
    ...op.i32(0),
    ...op.set(C),
    ...op.get(CENT),
    ...op.set(CP),
    ...op.loop,
    ...op.v128Zero,
    ...op.set(ACC),
    ...op.v128Zero,
    ...op.set(ACC2),
    ...op.v128Zero,
    ...op.set(ACC3),
    ...op.v128Zero,
    ...op.set(ACC4),
    ...op.get(CP),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.tee(CP2),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.tee(CP3),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.set(CP4),
    ...dimLoop([...fma(ACC, CP), ...fma(ACC2, CP2), ...fma(ACC3, CP3), ...fma(ACC4, CP4)]),
    ...score(ACC, 0),
    ...score(ACC2, 1),
    ...score(ACC3, 2),
    ...score(ACC4, 3),
    ...op.get(CP4),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.set(CP),
    ...op.get(C),
    ...op.i32(CENTROID_GROUP),
    ...op.i32Add,
    ...op.tee(C),
    ...op.get(K),
    ...op.i32LtU,
    ...op.brIf(0),
    ...op.end,
  ];
  const record = [
    // label change
    ...op.get(LABELS),
    ...op.get(J),
    ...op.i32Add,
    ...op.i32Load8u,
    ...op.get(BC),
    ...op.i32Ne,
    ...op.if,
    ...op.get(LABELS),
    ...op.get(J),
    ...op.i32Add,
    ...op.get(BC),
    ...op.i32Store8,
    ...op.get(CHANGED),
    ...op.i32(1),
    ...op.i32Add,
    ...op.set(CHANGED),
    ...op.end,
    // dist[j] = max(0, xn[j] + best); inertia += dist[j]
    ...op.get(DIST),
    ...op.get(J),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.get(XN),
    ...op.get(J),
    ...op.i32(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.f32Load,
    ...op.get(BEST),
    ...op.f32Add,
    ...op.f32(0),
    ...op.f32Max,
    ...op.tee(S),
    ...op.f32Store,
    ...op.get(INERTIA),
    ...op.get(S),
    ...op.f64PromoteF32,
    ...op.f64Add,
    ...op.set(INERTIA),
    // counts[bc]++
    ...addToI32([...op.get(COUNTS), ...op.get(BC), ...op.i32(2), ...op.i32Shl, ...op.i32Add], SP, 1),
    // sums[bc] += x
    ...op.get(SUMS),
    ...op.get(BC),
    ...op.get(DIM_BYTES),
    ...op.i32Mul,
    ...op.i32Add,
    ...op.set(SP),
    ...dimLoop([
      ...op.get(SP),
      ...op.get(D),
      ...op.i32Add,
      ...lane(SP),
      ...lane(XP),
      ...op.f32x4Add,
      ...op.v128Store,
    ]),
  ];
  const body = [
    ...op.f64(0),
    ...op.set(INERTIA),
    ...op.i32(0),
    ...op.set(CHANGED),
    ...op.i32(0),
    ...op.set(J),
    ...countedLoop(J, op.get(N), [
      // xp = data + idx[j] * dimBytes
      ...op.get(DATA),
      ...op.get(IDX),
      ...op.get(J),
      ...op.i32(2),
      ...op.i32Shl,
      ...op.i32Add,
      ...op.i32Load,
      ...op.get(DIM_BYTES),
      ...op.i32Mul,
      ...op.i32Add,
      ...op.set(XP),
      ...centroidLoop,
      ...record,
    ]),
    ...op.get(OUT),
    ...op.get(INERTIA),
    ...op.f64Store,
    ...op.get(CHANGED),
  ];
  return {
    exportName: 'assign',
    params: new Array<number>(13).fill(I32),
    results: [I32],
    locals: [I32, I32, I32, I32, I32, F32, I32, F32, V128, F64, I32, I32, V128, I32, V128, I32, V128, I32],
    body,
  };
}

export type AssignFn = (
  idx: number,
  n: number,
  dimBytes: number,
  data: number,
  cent: number,
  k: number,
  cn: number,
  xn: number,
  labels: number,
  dist: number,
  sums: number,
  counts: number,
  out: number,
) => number;

export function kmeansKernelBytes(memory: {
  initialPages: number;
  maximumPages: number;
  shared: boolean;
}): Uint8Array<ArrayBuffer> {
  return buildModule([assignFunction()], memory);
}
