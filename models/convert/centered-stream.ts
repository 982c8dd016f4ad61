import { attr, type GraphBuilder } from '../../src/lib/onnx/index.ts';
import type { WeightStore } from './weight-store.ts';

/**
 * LayerNorm on a residual stream that is kept mean-free, for the pre-norm transformers (Presto,
 * Galileo). LayerNorm(x) = (x - mean x) / sqrt(var x + eps) * gamma + beta. When every write to
 * the stream has zero mean over its features, the stream does too and the mean subtraction is a
 * no-op: LayerNorm(x) = x / sqrt(mean(x^2) + eps) * gamma + beta, an RMS norm. So the tokens are
 * centred once on entry, each Linear that writes to the stream gets its output columns centred
 * (W C and b C, C = I - 11^T/D: exact algebra), and beta moves into the next Linear's bias
 * (beta W + b). Why: onnxruntime's CPU LayerNormalization kernel is slow in the WASM build
 * (~3x its SimplifiedLayerNormalization on [M, 128] rows), and the RMS norm is emitted as the
 * standard-op chain Pow -> ReduceMean -> Add -> Sqrt -> Div -> Mul that ORT's optimizer fuses into
 * SimplifiedLayerNormalization on the CPU EP, while any other EP (WebGPU) runs the chain as is.
 */

/** Centres each row of a row-major [rows, cols] matrix in place over its columns. */
export function centreColumns(m: Float32Array, rows: number, cols: number): Float32Array {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += m[r * cols + c] ?? 0;
    const mean = sum / cols;
    for (let c = 0; c < cols; c++) m[r * cols + c] = (m[r * cols + c] ?? 0) - mean;
  }
  return m;
}

/** b + shift @ W for a MatMul weight W [inp, out] (a preceding norm's beta moved into the bias). */
export function shiftedBias(bias: Float32Array, w: Float32Array, shift: Float32Array): Float32Array {
  const out = bias.length;
  const result = Float64Array.from(bias);
  for (let i = 0; i < shift.length; i++) {
    const s = shift[i] ?? 0;
    for (let o = 0; o < out; o++) result[o] = (result[o] ?? 0) + s * (w[i * out + o] ?? 0);
  }
  return Float32Array.from(result);
}

/** x - mean(x) over the last axis: the stream's entry into the blocks. */
export function centreRows(b: GraphBuilder, x: string): string {
  return b.op('Sub', [x, b.op('ReduceMean', [x], { axes: attr.ints([-1]), keepdims: attr.int(1) })]);
}

/** x / sqrt(mean(x^2) + eps) * gamma over the last axis, in the chain ORT fuses (see above). */
export function rmsNorm(
  b: GraphBuilder,
  store: WeightStore,
  x: string,
  name: string,
  gamma: Float32Array,
  eps: number,
): string {
  const square = b.op('Pow', [x, b.floats('two', [2], [])]);
  const meanSquare = b.op('ReduceMean', [square], { axes: attr.ints([-1]), keepdims: attr.int(1) });
  const rms = b.op('Sqrt', [b.op('Add', [meanSquare, b.floats(`${name}.eps`, [eps], [])])]);
  return b.op('Mul', [b.op('Div', [x, rms]), store.tensor(`${name}.weight`, gamma, [gamma.length])]);
}
