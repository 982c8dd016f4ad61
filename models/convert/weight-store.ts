import type { GraphBuilder } from '../../src/lib/onnx/index.ts';
import { toFloat16Bits } from './float16.ts';

export type WeightDtype = 'fp32' | 'fp16' | 'int8';

/**
 * Writes the model's learned tensors in one storage type:
 * - fp32: plain initializers.
 * - fp16: float16 initializers + Cast to float32. ORT folds the Cast at session creation, so
 *   WASM (no fp16 kernels) and WebGPU (shader-f16 optional) both run it in float32; the file
 *   is half the size.
 * - int8: the transformer's MatMuls run in integers. Weights are symmetric per-output-channel
 *   int8; activations are quantised per call to uint8 (DynamicQuantizeLinear). ORT fuses each
 *   chain into one com.microsoft DynamicQuantizeMatMul / MatMulIntegerToFloat, whose WASM
 *   kernel does 8 multiply-adds per SIMD instruction where float32 does 4 in two: ~1.3x the
 *   fp32 throughput in Chromium, ~1.4x natively. The small tensors (embeddings, biases, norms)
 *   and the attention products stay float32. Never chosen on WebGPU (its EP has no integer
 *   MatMul and would bounce every one of them to the CPU).
 */
export class WeightStore {
  constructor(
    private readonly b: GraphBuilder,
    readonly dtype: WeightDtype,
  ) {}

  /** Any learned tensor (biases, norms, embedding tables, small projections), as float32. */
  tensor(name: string, data: Float32Array, dims: readonly number[]): string {
    if (this.dtype !== 'fp16') return this.b.initializer(name, data, dims);
    const stored = this.b.initializerFloat16(`${name}_fp16`, toFloat16Bits(data), dims);
    return this.b.op('Cast', [stored], { to: { kind: 'int', value: 1 } }, { name: `${name}_cast` });
  }

  /** x @ W for a weight W [rows, cols]; float32 out whatever the storage. */
  matmul(x: string, name: string, data: Float32Array, rows: number, cols: number): string {
    if (this.dtype !== 'int8') return this.b.op('MatMul', [x, this.tensor(name, data, [rows, cols])]);
    const { q, scales } = quantiseColumns(data, rows, cols);
    const w = this.b.initializer(`${name}_int8`, q, [rows, cols]);
    const wScale = this.b.initializer(`${name}_scale`, scales, [cols]);
    const parts = ['q', 'scale', 'zero'].map((part) => `${name}_x_${part}`);
    const [xq = '', xScale = '', xZero = ''] = this.b.node('DynamicQuantizeLinear', [x], parts);
    // int32 sums of uint8 x int8 products; x's zero point is subtracted inside the kernel.
    const sums = this.b.op('MatMulInteger', [xq, w, xZero]);
    const real = this.b.op('Cast', [sums], { to: { kind: 'int', value: 1 } });
    // This exact Cast -> Mul(x scale * W scales) shape is what ORT's fusion looks for.
    return this.b.op('Mul', [real, this.b.op('Mul', [xScale, wScale])]);
  }
}

/** Symmetric int8: scale = max|column| / 127, zero point 0 (exact zeros stay exact). */
export function quantiseColumns(
  data: Float32Array,
  rows: number,
  cols: number,
): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(data[r * cols + c] ?? 0));
    scales[c] = max > 0 ? max / 127 : 1;
  }
  const q = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = Math.round((data[r * cols + c] ?? 0) / (scales[c] ?? 1));
      q[r * cols + c] = Math.max(-127, Math.min(127, v));
    }
  }
  return { q, scales };
}
