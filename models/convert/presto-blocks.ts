import { AppError } from '../../src/lib/errors.ts';
import { attr, type GraphBuilder } from '../../src/lib/onnx/graph-builder.ts';
import type { CheckpointTensor } from './torch-checkpoint.ts';
import type { WeightStore } from './weight-store.ts';

const WIDTH = 128;
const HEADS = 8;
const HEAD_DIM = WIDTH / HEADS;
const LN_EPS = 1e-5;

/** Reads the checkpoint tensor `name`, checking its shape. */
export function param(
  weights: ReadonlyMap<string, CheckpointTensor>,
  name: string,
  shape: number[],
): Float32Array {
  const t = weights.get(name);
  if (!t) throw new AppError('model', `The Presto checkpoint has no tensor "${name}".`);
  if (t.shape.join('x') !== shape.join('x')) {
    throw new AppError(
      'model',
      `The Presto checkpoint tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}].`,
    );
  }
  return t.data;
}

/** PyTorch Linear stores [out, in]; MatMul wants [in, out]. Optionally slices rows and scales. */
export function linearToMatMul(
  w: Float32Array,
  out: number,
  inp: number,
  rows = [0, out],
  scale = 1,
): Float32Array {
  const [from = 0, to = out] = rows;
  const m = new Float32Array(inp * (to - from));
  for (let o = from; o < to; o++) {
    for (let i = 0; i < inp; i++) m[i * (to - from) + (o - from)] = (w[o * inp + i] ?? 0) * scale;
  }
  return m;
}

export class PrestoBlocks {
  constructor(
    private readonly b: GraphBuilder,
    private readonly store: WeightStore,
    private readonly weights: ReadonlyMap<string, CheckpointTensor>,
  ) {}

  layerNorm(x: string, prefix: string): string {
    const scale = this.store.tensor(`${prefix}.weight`, param(this.weights, `${prefix}.weight`, [WIDTH]), [
      WIDTH,
    ]);
    const bias = this.store.tensor(`${prefix}.bias`, param(this.weights, `${prefix}.bias`, [WIDTH]), [WIDTH]);
    return this.b.op('LayerNormalization', [x, scale, bias], {
      axis: attr.int(-1),
      epsilon: attr.float(LN_EPS),
    });
  }

  /** x @ W^T + b for rows [from, to) of a PyTorch Linear, times `scale` (exact for powers of 2). */
  private linear(x: string, prefix: string, out: number, inp: number, rows = [0, out], scale = 1): string {
    const [from = 0, to = out] = rows;
    const name = rows[0] === 0 && rows[1] === out ? prefix : `${prefix}[${from}:${to}]`;
    const w = linearToMatMul(param(this.weights, `${prefix}.weight`, [out, inp]), out, inp, rows, scale);
    const bias = param(this.weights, `${prefix}.bias`, [out])
      .slice(from, to)
      .map((v) => v * scale);
    const y = this.b.op('MatMul', [x, this.store.matrix(`${name}.w`, w, inp, to - from)]);
    return this.b.op('Add', [y, this.store.tensor(`${name}.b`, bias, [to - from])]);
  }

  /** [N*L, 128] -> [N, 8, L, 16] (or [N, 8, 16, L] with `keyLayout`); `headShape` is [N, L, 8, 16]. */
  private heads(x: string, headShape: string, keyLayout: boolean): string {
    const split = this.b.op('Reshape', [x, headShape]);
    return this.b.op('Transpose', [split], { perm: attr.ints(keyLayout ? [0, 2, 3, 1] : [0, 2, 1, 3]) });
  }

  /**
   * Multi-head self-attention over the tokens, given as [N*L, 128]. `keyBias` [N, 1, 1, L] is
   * 0 for kept tokens and -1e9 for dropped ones: after softmax a dropped key has weight
   * exactly 0, which is what removing the token (upstream's mask_tokens) gives.
   */
  private attention(x: string, prefix: string, keyBias: string, headShape: string): string {
    const qkv = `${prefix}.qkv`;
    // 1/sqrt(16) = 0.25 is a power of two, so folding it into W_q and b_q is exact.
    const scale = 1 / Math.sqrt(HEAD_DIM);
    const q = this.heads(this.linear(x, qkv, 3 * WIDTH, WIDTH, [0, WIDTH], scale), headShape, false);
    const k = this.heads(this.linear(x, qkv, 3 * WIDTH, WIDTH, [WIDTH, 2 * WIDTH]), headShape, true);
    const v = this.heads(this.linear(x, qkv, 3 * WIDTH, WIDTH, [2 * WIDTH, 3 * WIDTH]), headShape, false);
    const scores = this.b.op('Add', [this.b.op('MatMul', [q, k]), keyBias]);
    const probs = this.b.op('Softmax', [scores], { axis: attr.int(-1) });
    const mixed = this.b.op('Transpose', [this.b.op('MatMul', [probs, v])], {
      perm: attr.ints([0, 2, 1, 3]),
    });
    const merged = this.b.op('Reshape', [mixed, this.b.int64s('merge_shape', [-1, WIDTH])]);
    return this.linear(merged, `${prefix}.proj`, WIDTH, WIDTH);
  }

  /** Exact GELU, x * 0.5 * (1 + erf(x / sqrt 2)), in the form ORT fuses into one Gelu kernel. */
  private gelu(x: string): string {
    const erf = this.b.op('Erf', [this.b.op('Div', [x, this.b.floats('sqrt2', [Math.SQRT2], [])])]);
    const onePlus = this.b.op('Add', [erf, this.b.floats('one', [1], [])]);
    return this.b.op('Mul', [this.b.op('Mul', [x, onePlus]), this.b.floats('half', [0.5], [])]);
  }

  /**
   * One timm-style block: x + attn(norm1(x)), then x + mlp(norm2(x)). Tokens flow as 2-D
   * [N*L, 128], where ORT fuses each MatMul + bias into one Gemm; `headShape` ([N, L, 8, 16])
   * splits them into heads for attention.
   */
  block(x: string, index: number, keyBias: string, headShape: string): string {
    const p = `encoder.blocks.${index}`;
    const afterAttn = this.b.op('Add', [
      x,
      this.attention(this.layerNorm(x, `${p}.norm1`), `${p}.attn`, keyBias, headShape),
    ]);
    const hidden = this.gelu(
      this.linear(this.layerNorm(afterAttn, `${p}.norm2`), `${p}.mlp.fc1`, 4 * WIDTH, WIDTH),
    );
    return this.b.op('Add', [afterAttn, this.linear(hidden, `${p}.mlp.fc2`, WIDTH, 4 * WIDTH)]);
  }
}
