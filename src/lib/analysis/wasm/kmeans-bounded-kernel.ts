import { countedLoop, sqrtPositive } from './emit.ts';
import {
  KernelCode,
  newMember,
  newScoreTarget,
  P,
  PARAM_TYPES,
  type ScoreTarget,
  scaled,
} from './kernel-builder.ts';
import { searchAll } from './kmeans-full-search.ts';
import { op } from './ops.ts';
import { buildModule, F32, I32, V128, type WasmFunction } from './wasm-bytes.ts';

function exported(name: string, code: KernelCode, body: number[]): WasmFunction {
  return {
    exportName: name,
    params: PARAM_TYPES,
    results: [I32],
    locals: code.locals.types,
    body: code.wrap(body),
  };
}

/**
 * boundedPass(...) -> labels changed: Elkan's pass over members [FROM, TO) after the
 * centroids moved by DRIFT. Bounds move first (upper + own drift, each lower - its drift);
 * centroid c needs scoring only when neither lower(c) > w nor CC(a, c) > u + w, where
 * w = sqrt(u^2 + 2e): either proves |x-c|^2 > |x-a|^2 + 2e, beyond the f32 scores' error.
 * If some c needs it, the own centroid's exact score tightens u first; then the centroids
 * still in doubt are scored, two at a time (their lower bounds become exact), and the
 * smallest score wins, first on ties. A member with no centroid in doubt is not read at all.
 */
function boundedPass(k: number, dimBytes: number): WasmFunction {
  const code = new KernelCode(k, dimBytes);
  const { locals } = code;
  const i = locals.add(I32);
  const who = newMember(locals);
  const row = locals.add(I32);
  const ccRow = locals.add(I32);
  const bits = locals.add(I32);
  const e = locals.add(F32);
  const u = locals.add(F32);
  const w = locals.add(F32);
  const vectors = code.lowerBytes / 16;
  const lower = Array.from({ length: vectors }, () => locals.add(V128));
  const x = locals.add(V128);
  const cv = locals.add(V128);
  const own = newScoreTarget(locals, who.a);
  const first = newScoreTarget(locals, locals.add(I32));
  const second = newScoreTarget(locals, locals.add(I32));

  const storeUpper = [...scaled(P.UPPER, who.j, 4), ...op.get(u), ...op.f32Store];
  // bits: centroid c in doubt when lower(c) <= w && CC(a, c) <= u + w (four per vector)
  const doubts: number[] = [];
  lower.forEach((l, v) => {
    doubts.push(...op.get(l), ...op.get(w), ...op.f32x4Splat, ...op.f32x4Le);
    doubts.push(...op.get(ccRow), ...op.v128LoadAt(v * 16));
    doubts.push(...op.get(u), ...op.get(w), ...op.f32Add, ...op.f32x4Splat, ...op.f32x4Le);
    doubts.push(...op.v128And, ...op.i32x4Bitmask);
    if (v > 0) doubts.push(...op.i32(v * 4), ...op.i32Shl, ...op.i32Or);
  });
  doubts.push(...op.set(bits));
  // u and w from the exact own score: sqrt(|x|^2 + own + e) and sqrt(|x|^2 + own + 3e)
  const fromOwn = (times: number) =>
    sqrtPositive([
      ...op.get(who.xn),
      ...op.get(own.s),
      ...op.f32Add,
      ...op.get(e),
      ...op.f32(times),
      ...op.f32Mul,
      ...op.f32Add,
    ]);
  const lowerFrom = (score: number) =>
    sqrtPositive([...op.get(who.xn), ...op.get(score), ...op.f32Add, ...op.get(e), ...op.f32Sub]);
  // c = the lowest centroid left in bits, which loses it
  const takeLowest = (c: number) => [
    ...op.get(bits),
    ...op.i32Ctz,
    ...op.set(c),
    ...op.get(bits),
    ...op.get(bits),
    ...op.i32(1),
    ...op.i32Sub,
    ...op.i32And,
    ...op.set(bits),
  ];
  // a scored centroid: exact lower bound; the new best when smaller, or tied with a lower index
  const consider = (t: ScoreTarget) => [
    ...scaled(row, t.c, 4),
    ...lowerFrom(t.s),
    ...op.f32Store,
    ...op.get(t.s),
    ...op.get(who.best),
    ...op.f32Lt,
    ...op.get(t.s),
    ...op.get(who.best),
    ...op.f32Eq,
    ...op.get(t.c),
    ...op.get(who.bc),
    ...op.i32LtU,
    ...op.i32And,
    ...op.i32Or,
    ...op.if,
    ...op.get(t.s),
    ...op.set(who.best),
    ...op.get(t.c),
    ...op.set(who.bc),
    ...op.end,
  ];
  const tighten = [
    ...code.scoreCentroids(who, [own], x, cv),
    ...op.get(own.s),
    ...op.set(who.best),
    ...op.get(who.a),
    ...op.set(who.bc),
    ...fromOwn(1),
    ...op.set(u),
    ...fromOwn(3),
    ...op.set(w),
  ];
  const scoreDoubtful = [
    ...op.block,
    ...op.loop,
    ...op.get(bits),
    ...op.i32Eqz,
    ...op.brIf(1),
    ...takeLowest(first.c),
    ...op.get(bits),
    ...op.if,
    ...takeLowest(second.c),
    ...code.scoreCentroids(who, [first, second], x, cv),
    ...consider(first),
    ...consider(second),
    ...op.else,
    ...code.scoreCentroids(who, [first], x, cv),
    ...consider(first),
    ...op.end,
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  const member = [
    ...code.load(who, op.get(i)),
    ...scaled(P.LOWER, who.j, code.lowerBytes),
    ...op.set(row),
    ...code.margin(who),
    ...op.set(e),
    ...scaled(P.UPPER, who.j, 4),
    ...op.f32Load,
    ...scaled(P.DRIFT, who.a, 4),
    ...op.f32Load,
    ...op.f32Add,
    ...op.set(u),
    ...lower.flatMap((l, v) => [
      ...op.get(row),
      ...op.get(row),
      ...op.v128LoadAt(v * 16),
      ...op.get(P.DRIFT),
      ...op.v128LoadAt(v * 16),
      ...op.f32x4Sub,
      ...op.tee(l),
      ...op.v128StoreAt(v * 16),
    ]),
    ...sqrtPositive([
      ...op.get(u),
      ...op.get(u),
      ...op.f32Mul,
      ...op.get(e),
      ...op.f32(2),
      ...op.f32Mul,
      ...op.f32Add,
    ]),
    ...op.set(w),
    // every other centroid is farther than u + w from a: nothing can be nearer
    ...scaled(P.MINCC, who.a, 4),
    ...op.f32Load,
    ...op.get(u),
    ...op.get(w),
    ...op.f32Add,
    ...op.f32Gt,
    ...op.if,
    ...storeUpper,
    ...op.br(1),
    ...op.end,
    ...scaled(P.CC, who.a, code.lowerBytes),
    ...op.set(ccRow),
    ...doubts,
    ...op.get(bits),
    ...op.i32Eqz,
    ...op.if,
    ...storeUpper,
    ...op.br(1),
    ...op.end,
    ...tighten,
    ...doubts,
    ...scoreDoubtful,
    ...op.get(who.bc),
    ...op.get(who.a),
    ...op.i32Ne,
    ...op.if,
    ...scaled(row, who.a, 4),
    ...lowerFrom(own.s),
    ...op.f32Store,
    ...sqrtPositive([...op.get(who.xn), ...op.get(who.best), ...op.f32Add, ...op.get(e), ...op.f32Add]),
    ...op.set(u),
    ...code.relabel(who),
    ...op.end,
    ...storeUpper,
  ];
  const loop = countedLoop(i, op.get(P.TO), [...op.block, ...member, ...op.end]);
  return exported('boundedPass', code, [...op.get(P.FROM), ...op.set(i), ...loop]);
}

/** ownScores(...): OWN[j] = the score of member j's own centroid, for j in [FROM, TO). */
function ownScores(k: number, dimBytes: number): WasmFunction {
  const code = new KernelCode(k, dimBytes);
  const { locals } = code;
  const i = locals.add(I32);
  const who = newMember(locals);
  const own = newScoreTarget(locals, who.a);
  const body = [
    ...code.load(who, op.get(i)),
    ...code.scoreCentroids(who, [own], locals.add(V128), locals.add(V128)),
    ...scaled(P.OWN, who.j, 4),
    ...op.get(own.s),
    ...op.f32Store,
  ];
  return exported('ownScores', code, [
    ...op.get(P.FROM),
    ...op.set(i),
    ...countedLoop(i, op.get(P.TO), body),
  ]);
}

/** Every function of the kernel takes the parameters listed in kernel-builder.ts's P. */
export type BoundedFn = (
  from: number,
  to: number,
  idx: number,
  data: number,
  xn: number,
  cent: number,
  cn: number,
  labels: number,
  upper: number,
  lower: number,
  own: number,
  sums: number,
  counts: number,
  drift: number,
  cc: number,
  minCc: number,
  gamma: number,
  cnMax: number,
  scored: number,
) => number;

export interface BoundedKernel {
  /** Every centroid for every member; sets the bounds (the first pass, and after big moves). */
  searchAll: BoundedFn;
  /** Elkan's pass: only the centroids the bounds cannot rule out. */
  boundedPass: BoundedFn;
  /** The own centroid's score of every member (exact distances for re-seeding). */
  ownScores: BoundedFn;
}

/**
 * A module with the bounded kernel's functions specialised to k centroids of `dim` values (dim
 * a multiple of 4): loops over centroids unrolled, offsets constant.
 */
export function boundedKernelBytes(
  k: number,
  dim: number,
  memory: { initialPages: number; maximumPages: number; shared: boolean },
): Uint8Array<ArrayBuffer> {
  const dimBytes = dim * 4;
  return buildModule([searchAll(k, dimBytes), boundedPass(k, dimBytes), ownScores(k, dimBytes)], memory);
}
