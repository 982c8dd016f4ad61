import type { GraphBuilder } from '../../src/lib/onnx/graph-builder.ts';
import { toFloat16Bits } from './float16.ts';

export type WeightDtype = 'fp32' | 'fp16' | 'int8';

/**
 * Writes the model's learned tensors in one storage type; every accessor returns a float32
 * value name, so the graph is computed in float32 whatever the storage:
 * - fp32: plain initializers.
 * - fp16: float16 initializers + Cast to float32. ORT folds the Cast at session creation, so
 *   WASM (no fp16 kernels) and WebGPU (shader-f16 optional) both run it; the file is half size.
 * - int8: MatMul weights as symmetric per-output-channel int8 + DequantizeLinear; the small
 *   tensors (embeddings, biases, norms) stay float32, they are a few percent of the bytes.
 */
export class WeightStore {
  constructor(
    private readonly b: GraphBuilder,
    readonly dtype: WeightDtype,
  ) {}

  /** Any learned tensor (biases, norms, embedding tables, small projections). */
  tensor(name: string, data: Float32Array, dims: readonly number[]): string {
    if (this.dtype !== 'fp16') return this.b.initializer(name, data, dims);
    const stored = this.b.initializerFloat16(`${name}_fp16`, toFloat16Bits(data), dims);
    return this.b.op('Cast', [stored], { to: { kind: 'int', value: 1 } }, { name: `${name}_cast` });
  }

  /** A MatMul right-hand side [in, out]; int8 quantises it per output column. */
  matrix(name: string, data: Float32Array, rows: number, cols: number): string {
    if (this.dtype !== 'int8') return this.tensor(name, data, [rows, cols]);
    const { q, scales } = quantiseColumns(data, rows, cols);
    const stored = this.b.initializer(`${name}_int8`, q, [rows, cols]);
    const scale = this.b.initializer(`${name}_scale`, scales, [cols]);
    const zero = this.b.initializer(`${name}_zero`, new Int8Array(cols), [cols]);
    return this.b.op(
      'DequantizeLinear',
      [stored, scale, zero],
      { axis: { kind: 'int', value: 1 } },
      {
        name: `${name}_dequant`,
      },
    );
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
