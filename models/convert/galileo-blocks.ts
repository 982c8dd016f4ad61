import { GALILEO_DIM as D } from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { attr, type GraphBuilder } from '../../src/lib/onnx/index.ts';
import { centreColumns, centreRows, rmsNorm, shiftedBias } from './centered-stream.ts';
import { type GeluForm, gelu, geluFormFor } from './gelu.ts';
import { perQueryKeyBias } from './key-bias.ts';
import { type LinearOptions, linearToMatMul, type Normed, type StreamNorm } from './presto-blocks.ts';
import type { CheckpointTensor } from './torch-checkpoint.ts';
import type { WeightStore } from './weight-store.ts';

const HEADS = 8;
const HEAD_DIM = D / HEADS;
const HIDDEN = 4 * D;
const LN_EPS = 1e-5;
export const GALILEO_BLOCKS = 4;

/** Reads the Galileo checkpoint tensor `name`, checking its shape. */
export function galileoParam(
  weights: ReadonlyMap<string, CheckpointTensor>,
  name: string,
  shape: readonly number[],
): Float32Array {
  const t = weights.get(name);
  if (!t) throw new AppError('model', `The Galileo checkpoint has no tensor "${name}".`);
  if (t.shape.join('x') !== shape.join('x')) {
    throw new AppError(
      'model',
      `The Galileo checkpoint tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}].`,
    );
  }
  return t.data;
}

/** Graph values the blocks need besides the token rows. */
export interface GalileoBlockContext {
  /** [N, 1, 1, L]: 0 for a kept token, -1e9 for a dropped one. */
  keyBias: string;
  /** int64 shape [N, L, 8, 16]: flat rows regrouped per sample and head. */
  headShape: string;
}

/**
 * Galileo's encoder blocks (timm-style pre-norm: x + attn(norm1(x)), x + mlp(norm2(x));
 * separate q, k, v Linears; exact GELU) and its exit LayerNorm, applied to every token.
 * Tokens flow as flat [N*L, 128] rows so each projection is one GEMM over the batch.
 */
export class GalileoBlocks {
  constructor(
    private readonly b: GraphBuilder,
    private readonly store: WeightStore,
    private readonly weights: ReadonlyMap<string, CheckpointTensor>,
    private readonly streamNorm: StreamNorm = 'rms',
    private readonly geluForm: GeluForm = geluFormFor(store.dtype),
  ) {}

  private p(name: string, shape: readonly number[]): Float32Array {
    return galileoParam(this.weights, name, shape);
  }

  layerNorm(x: string, prefix: string): string {
    const scale = this.store.tensor(`${prefix}.weight`, this.p(`${prefix}.weight`, [D]), [D]);
    const bias = this.store.tensor(`${prefix}.bias`, this.p(`${prefix}.bias`, [D]), [D]);
    return this.b.op('LayerNormalization', [x, scale, bias], {
      axis: attr.int(-1),
      epsilon: attr.float(LN_EPS),
    });
  }

  /** A pre-norm: `layer` as upstream, `rms` on the mean-free stream with beta left to the next Linear. */
  private norm(x: string, prefix: string): Normed {
    if (this.streamNorm === 'layer') return { x: this.layerNorm(x, prefix) };
    const normed = rmsNorm(this.b, this.store, x, prefix, this.p(`${prefix}.weight`, [D]), LN_EPS);
    const beta = this.p(`${prefix}.bias`, [D]);
    // int8 quantises the normed activations per call: as for Presto, it keeps beta in them.
    if (this.store.dtype === 'int8')
      return { x: this.b.op('Add', [normed, this.store.tensor(`${prefix}.bias`, beta, [D])]) };
    return { x: normed, shift: beta };
  }

  /** x @ W^T + b of a PyTorch Linear, times `scale` (exact for powers of 2). */
  private linear(x: string, prefix: string, out: number, inp: number, o: LinearOptions = {}): string {
    const scale = o.scale ?? 1;
    const w = linearToMatMul(this.p(`${prefix}.weight`, [out, inp]), out, inp, [0, out], scale);
    let bias: Float32Array = this.p(`${prefix}.bias`, [out]).map((v) => v * scale);
    if (o.shift) bias = shiftedBias(bias, w, o.shift);
    if (o.centre) {
      centreColumns(w, inp, out);
      centreColumns(bias, 1, out);
    }
    const y = this.store.matmul(x, `${prefix}.w`, w, inp, out);
    return this.b.op('Add', [y, this.store.tensor(`${prefix}.b`, bias, [out])]);
  }

  /** [N*L, 128] -> [N, 8, L, 16] (or [N, 8, 16, L] with `keyLayout`). */
  private heads(x: string, ctx: GalileoBlockContext, keyLayout: boolean): string {
    const split = this.b.op('Reshape', [x, ctx.headShape]);
    return this.b.op('Transpose', [split], { perm: attr.ints(keyLayout ? [0, 2, 3, 1] : [0, 2, 1, 3]) });
  }

  /** Self-attention; a dropped key gets -1e9 before softmax, so weight exactly 0 (= removed). */
  private attention(n: Normed, prefix: string, ctx: GalileoBlockContext): string {
    const x = n.x;
    const shift = n.shift;
    // 1/sqrt(16) = 0.25 is a power of two, so folding it into W_q and b_q is exact.
    const q = this.heads(
      this.linear(x, `${prefix}.q`, D, D, { scale: 1 / Math.sqrt(HEAD_DIM), shift }),
      ctx,
      false,
    );
    const k = this.heads(this.linear(x, `${prefix}.k`, D, D, { shift }), ctx, true);
    const v = this.heads(this.linear(x, `${prefix}.v`, D, D, { shift }), ctx, false);
    const scores = this.b.op('Add', [this.b.op('MatMul', [q, k]), ctx.keyBias]);
    const probs = this.b.op('Softmax', [scores], { axis: attr.int(-1) });
    const mixed = this.b.op('Transpose', [this.b.op('MatMul', [probs, v])], {
      perm: attr.ints([0, 2, 1, 3]),
    });
    const merged = this.b.op('Reshape', [mixed, this.b.int64s('merge_shape', [-1, D])]);
    return this.linear(merged, `${prefix}.proj`, D, D, { centre: this.streamNorm === 'rms' });
  }

  /** The blocks and the exit LayerNorm on token rows [N*L, 128]; returns [N*L, 128]. */
  encode(tokens: string, context: GalileoBlockContext): string {
    const ctx = { ...context, keyBias: perQueryKeyBias(this.b, context.keyBias) };
    const rms = this.streamNorm === 'rms';
    let x = rms ? centreRows(this.b, tokens) : tokens;
    for (let i = 0; i < GALILEO_BLOCKS; i++) {
      const p = `blocks.${i}`;
      const afterAttn = this.b.op('Add', [x, this.attention(this.norm(x, `${p}.norm1`), `${p}.attn`, ctx)]);
      const n2 = this.norm(afterAttn, `${p}.norm2`);
      const hidden = gelu(
        this.b,
        this.linear(n2.x, `${p}.mlp.fc1`, HIDDEN, D, { shift: n2.shift }),
        this.geluForm,
      );
      x = this.b.op('Add', [afterAttn, this.linear(hidden, `${p}.mlp.fc2`, D, HIDDEN, { centre: rms })]);
    }
    const exit = this.norm(x, 'norm');
    if (!exit.shift) return exit.x;
    return this.b.op('Add', [exit.x, this.store.tensor('norm.bias', exit.shift, [D])]);
  }
}
