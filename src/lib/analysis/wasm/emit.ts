import { op } from './ops.ts';

/**
 * Instruction sequences both k-means kernels emit: the Lloyd kernel (kmeans-kernel.ts, its
 * parameters and locals fixed) and the bounded one (kernel-builder.ts, specialised per k and
 * dim). They take locals and address code as arguments, so they depend on neither kernel's
 * parameter layout; sharing `centroidScore` and `multiplyAdd` is also what keeps a (member,
 * centroid) score bit-identical on every path.
 */

/** while (i < end) { body; i++ } over local i, with `end` pushing the bound. */
export function countedLoop(i: number, end: number[], body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(i),
    ...end,
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.get(i),
    ...op.i32(1),
    ...op.i32Add,
    ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/**
 * i = 0; do { body; i += step } while (i < end): the loop over a vector's bytes, which runs at
 * least once (dim >= 4), so the test sits at the bottom.
 */
export function steppedLoop(i: number, step: number, end: number[], body: number[]): number[] {
  return [
    ...op.i32(0),
    ...op.set(i),
    ...op.loop,
    ...body,
    ...op.get(i),
    ...op.i32(step),
    ...op.i32Add,
    ...op.tee(i),
    ...end,
    ...op.i32LtU,
    ...op.brIf(0),
    ...op.end,
  ];
}

/**
 * |c|^2 - 2 * (lane0 + lane1 + lane2 + lane3) of the f32x4 local `acc`, with `cn` pushing |c|^2:
 * a centroid's score for a member up to the member's own |x|^2.
 */
export function centroidScore(cn: number[], acc: number): number[] {
  return [
    ...cn,
    ...op.get(acc),
    ...op.f32x4Extract(0),
    ...op.get(acc),
    ...op.f32x4Extract(1),
    ...op.f32Add,
    ...op.get(acc),
    ...op.f32x4Extract(2),
    ...op.get(acc),
    ...op.f32x4Extract(3),
    ...op.f32Add,
    ...op.f32Add,
    ...op.f32(2),
    ...op.f32Mul,
    ...op.f32Sub,
  ];
}

/** acc = acc + x * c for the v128 local `acc`, with `x` and `c` pushing f32x4 values. */
export function multiplyAdd(acc: number, x: number[], c: number[]): number[] {
  return [...op.get(acc), ...x, ...c, ...op.f32x4Mul, ...op.f32x4Add, ...op.set(acc)];
}

/** The i32 at the address `address` pushes += delta; `scratch` is an i32 local for the address. */
export function addToI32(address: number[], scratch: number, delta: number): number[] {
  return [
    ...address,
    ...op.tee(scratch),
    ...op.get(scratch),
    ...op.i32Load,
    ...op.i32(delta),
    ...op.i32Add,
    ...op.i32Store,
  ];
}

/** sqrt(max(0, value)) for the f32 pushed by `value`. */
export function sqrtPositive(value: number[]): number[] {
  return [...value, ...op.f32(0), ...op.f32Max, ...op.f32Sqrt];
}
