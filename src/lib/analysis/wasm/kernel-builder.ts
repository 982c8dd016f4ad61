import { addToI32, centroidScore, multiplyAdd, steppedLoop } from './emit.ts';
import { op } from './ops.ts';
import { F32, I32, V128 } from './wasm-bytes.ts';

/**
 * Parameters shared by every function of the bounded k-means kernel (byte addresses into the
 * grid's memory unless noted). Each function reads only those it needs.
 */
export const P = {
  /** Members [FROM, TO) are processed (indices, not bytes). */
  FROM: 0,
  TO: 1,
  /** u32 pixel index per member. */
  IDX: 2,
  /** f32 embeddings: pixel p at DATA + p * dim * 4. */
  DATA: 3,
  /** f32 |x|^2 per member. */
  XN: 4,
  /** f32 k x dim centroids and their |c|^2. */
  CENT: 5,
  CN: 6,
  /** u8 label per member (255: none yet). */
  LABELS: 7,
  /** f32 per member: upper bound on the distance to its own centroid. */
  UPPER: 8,
  /** f32 kPad per member: lower bounds on the distance to every centroid (+Inf for padding). */
  LOWER: 9,
  /** f32 per member (out of ownScores): the score of its own centroid. */
  OWN: 10,
  /** f64 k x dim member sums and i32 k counts, updated when a member changes label. */
  SUMS: 11,
  COUNTS: 12,
  /** f32 kPad: how far each centroid moved since the last pass (rounded up; padding 0). */
  DRIFT: 13,
  /** f32 k x kPad: distance between centroids (rounded down; +Inf on the diagonal and padding). */
  CC: 14,
  /** f32 k: distance from each centroid to the nearest other one (rounded down). */
  MINCC: 15,
  /** f32 value: the score error margin per unit of |x|^2 + max |c|^2. */
  GAMMA: 16,
  /** f32 value: max |c|^2. */
  CNMAX: 17,
  /** i32: the (member, centroid) scores computed are added to it. */
  SCORED: 18,
} as const;

export const PARAM_TYPES = [...new Array<number>(16).fill(I32), F32, F32, I32];

/** Label of a member not assigned yet. */
export const UNASSIGNED = 255;

/** Hands out local indices after the parameters, remembering their types. */
export class Locals {
  readonly types: number[] = [];
  add(type: number): number {
    this.types.push(type);
    return PARAM_TYPES.length + this.types.length - 1;
  }
}

/** Locals describing one member: index, vector address, label, |x|^2, best score and label. */
export interface Member {
  j: number;
  xp: number;
  a: number;
  xn: number;
  best: number;
  bc: number;
}

/** Locals for scoring one centroid: its index (in), address and accumulator (scratch), score. */
export interface ScoreTarget {
  c: number;
  cp: number;
  acc: number;
  s: number;
}

export function newScoreTarget(locals: Locals, c: number): ScoreTarget {
  return { c, cp: locals.add(I32), acc: locals.add(V128), s: locals.add(F32) };
}

export function newMember(locals: Locals): Member {
  return {
    j: locals.add(I32),
    xp: locals.add(I32),
    a: locals.add(I32),
    xn: locals.add(F32),
    best: locals.add(F32),
    bc: locals.add(I32),
  };
}

/** Pushes the address `base` (a local or parameter) + local `index` * scale. */
export function scaled(base: number, index: number, scale: number): number[] {
  return [...op.get(base), ...op.get(index), ...op.i32(scale), ...op.i32Mul, ...op.i32Add];
}

/**
 * Code shared by the kernel's functions: d loops over a member's values, scores, and the
 * bookkeeping of a label change.
 */
export class KernelCode {
  readonly locals = new Locals();
  /** Byte offset within a member's values (the d loop). */
  readonly d = this.locals.add(I32);
  /** Scratch addresses: an element, and a row of the sums. */
  readonly addr = this.locals.add(I32);
  readonly sumsRow = this.locals.add(I32);
  readonly changed = this.locals.add(I32);
  readonly scored = this.locals.add(I32);

  constructor(
    readonly k: number,
    readonly dimBytes: number,
  ) {}

  /** Bytes of one member's lower bounds: k rounded up to whole v128s. */
  get lowerBytes(): number {
    return Math.ceil(this.k / 4) * 16;
  }

  /** for (d = 0; d < dimBytes; d += step) body */
  dimLoop(step: number, body: number[]): number[] {
    return steppedLoop(this.d, step, op.i32(this.dimBytes), body);
  }

  /** Member `who` = j (pushed by `j`): its vector address, label and |x|^2. */
  load(who: Member, j: number[]): number[] {
    return [
      ...j,
      ...op.set(who.j),
      ...op.get(P.DATA),
      ...scaled(P.IDX, who.j, 4),
      ...op.i32Load,
      ...op.i32(this.dimBytes),
      ...op.i32Mul,
      ...op.i32Add,
      ...op.set(who.xp),
      ...op.get(P.LABELS),
      ...op.get(who.j),
      ...op.i32Add,
      ...op.i32Load8u,
      ...op.set(who.a),
      ...scaled(P.XN, who.j, 4),
      ...op.f32Load,
      ...op.set(who.xn),
    ];
  }

  /**
   * Scores of the centroids whose indices are in the locals `targets[i].c`, into `targets[i].s`
   * (f32 locals), one pass over the member's values with one accumulator each: independent
   * chains, each summed in the Lloyd kernel's order. `x` and `cv` are v128 scratch locals.
   */
  scoreCentroids(who: Member, targets: ScoreTarget[], x: number, cv: number): number[] {
    const code = this.countScores(targets.length);
    for (const t of targets) code.push(...scaled(P.CENT, t.c, this.dimBytes), ...op.set(t.cp));
    for (const t of targets) code.push(...op.v128Zero, ...op.set(t.acc));
    const body = [...op.get(who.xp), ...op.get(this.d), ...op.i32Add, ...op.v128Load, ...op.set(x)];
    for (const t of targets) {
      body.push(...op.get(t.cp), ...op.get(this.d), ...op.i32Add, ...op.v128Load, ...op.set(cv));
      body.push(...multiplyAdd(t.acc, op.get(x), op.get(cv)));
    }
    code.push(...this.dimLoop(16, body));
    for (const t of targets)
      code.push(...centroidScore([...scaled(P.CN, t.c, 4), ...op.f32Load], t.acc), ...op.set(t.s));
    return code;
  }

  /** scored += count */
  countScores(count: number): number[] {
    return [...op.get(this.scored), ...op.i32(count), ...op.i32Add, ...op.set(this.scored)];
  }

  /** The function body around `body`: returns the labels changed, adds up the scores. */
  wrap(body: number[]): number[] {
    return [
      ...op.i32(0),
      ...op.set(this.changed),
      ...op.i32(0),
      ...op.set(this.scored),
      ...body,
      ...op.get(P.SCORED),
      ...op.get(P.SCORED),
      ...op.i32Load,
      ...op.get(this.scored),
      ...op.i32Add,
      ...op.i32Store,
      ...op.get(this.changed),
    ];
  }

  /** The member's score error margin: GAMMA * (|x|^2 + max |c|^2). */
  margin(who: Member): number[] {
    return [...op.get(P.GAMMA), ...op.get(who.xn), ...op.get(P.CNMAX), ...op.f32Add, ...op.f32Mul];
  }

  /** The f64 sums row of centroid `row` +/-= the member's values, two per step. */
  private accumulate(who: Member, row: number, combine: readonly number[]): number[] {
    const { d, addr } = this;
    return [
      ...scaled(P.SUMS, row, this.dimBytes * 2),
      ...op.set(this.sumsRow),
      ...this.dimLoop(8, [
        // the f64 pair for values d/4 and d/4 + 1 of the row is at 2d
        ...op.get(this.sumsRow),
        ...op.get(d),
        ...op.i32(1),
        ...op.i32Shl,
        ...op.i32Add,
        ...op.tee(addr),
        ...op.get(addr),
        ...op.v128Load,
        ...op.get(who.xp),
        ...op.get(d),
        ...op.i32Add,
        ...op.v128Load64Zero,
        ...op.f64x2PromoteLowF32x4,
        ...combine,
        ...op.v128Store,
      ]),
    ];
  }

  /** counts[row] += delta */
  private count(row: number, delta: number): number[] {
    return addToI32(scaled(P.COUNTS, row, 4), this.addr, delta);
  }

  /** When bc differs from the label: relabel, count, and move the member between the sums. */
  relabel(who: Member): number[] {
    return [
      ...op.get(who.bc),
      ...op.get(who.a),
      ...op.i32Ne,
      ...op.if,
      ...op.get(this.changed),
      ...op.i32(1),
      ...op.i32Add,
      ...op.set(this.changed),
      ...op.get(P.LABELS),
      ...op.get(who.j),
      ...op.i32Add,
      ...op.get(who.bc),
      ...op.i32Store8,
      ...this.count(who.bc, 1),
      ...this.accumulate(who, who.bc, op.f64x2Add),
      ...op.get(who.a),
      ...op.i32(UNASSIGNED),
      ...op.i32Ne,
      ...op.if,
      ...this.count(who.a, -1),
      ...this.accumulate(who, who.a, op.f64x2Sub),
      ...op.end,
      ...op.end,
    ];
  }
}
