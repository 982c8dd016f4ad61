import { AppError } from '../../src/lib/errors.ts';
import { attr, type GraphBuilder } from '../../src/lib/onnx/index.ts';
import { centreColumns, centreRows, rmsNorm, shiftedBias } from './centered-stream.ts';
import { type GeluForm, gelu, geluFormFor } from './gelu.ts';
import { perQueryKeyBias } from './key-bias.ts';
import type { CheckpointTensor } from './torch-checkpoint.ts';
import type { WeightStore } from './weight-store.ts';

const WIDTH = 128;
const HEADS = 8;
const HEAD_DIM = WIDTH / HEADS;
const HIDDEN = 4 * WIDTH;
const LN_EPS = 1e-5;
const BLOCKS = 2;

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

/**
 * How the blocks normalise: `layer`, onnx LayerNormalization as upstream writes it; `rms`, the
 * same function on a mean-free residual stream (centered-stream.ts), faster on WASM.
 */
export type StreamNorm = 'layer' | 'rms';

/** A normalised stream and the beta the next Linear must add (`rms`: moved into its bias). */
export interface Normed {
  x: string;
  shift?: Float32Array;
}

/** Options of one Linear: rows [from, to), a power-of-two `scale`, the preceding norm's beta, centred outputs. */
export interface LinearOptions {
  rows?: readonly [number, number];
  scale?: number;
  shift?: Float32Array | undefined;
  centre?: boolean;
}

/** Graph values the blocks need besides the token rows; all are derived from the compacted tokens. */
export interface BlockContext {
  /** [N, 1, 1, L]: 0 for a kept token, -1e9 for a dropped one (padding left by compaction). */
  keyBias: string;
  /** int64 shapes [N, L, 8, 16], [N, L, 128] and [N, L, 512]: flat rows regrouped per pixel. */
  headShape: string;
  tokenShape: string;
  hiddenShape: string;
  /** [N, 1, L]: kept / (the pixel's kept count), the weights of the mean over its tokens. */
  meanWeights: string;
}

/**
 * Presto's two pre-norm transformer blocks and its pooled output. Tokens flow as 2-D
 * [N*L, 128] rows, so every projection is one GEMM over the whole batch (ORT fuses each
 * MatMul + bias into a Gemm). GEMMs are ~2/3 of the time on every runtime, so the one
 * exact saving there is taken: the last MLP projection is linear and only the mean over
 * tokens is output, so it runs once on the mean instead of on every token.
 */
export class PrestoBlocks {
  constructor(
    private readonly b: GraphBuilder,
    private readonly store: WeightStore,
    private readonly weights: ReadonlyMap<string, CheckpointTensor>,
    private readonly streamNorm: StreamNorm = 'rms',
    private readonly geluForm: GeluForm = geluFormFor(store.dtype),
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

  /** A pre-norm: `layer` as upstream, `rms` on the mean-free stream with beta left to the next Linear. */
  private norm(x: string, prefix: string): Normed {
    if (this.streamNorm === 'layer') return { x: this.layerNorm(x, prefix) };
    const gamma = param(this.weights, `${prefix}.weight`, [WIDTH]);
    const normed = rmsNorm(this.b, this.store, x, prefix, gamma, LN_EPS);
    const beta = param(this.weights, `${prefix}.bias`, [WIDTH]);
    // int8 quantises the normed activations per call: without beta in them Presto's golden
    // cosine fell from 0.9992 to 0.9977, so int8 keeps beta as an Add (one cheap pass).
    if (this.store.dtype === 'int8')
      return { x: this.b.op('Add', [normed, this.store.tensor(`${prefix}.bias`, beta, [WIDTH])]) };
    return { x: normed, shift: beta };
  }

  /** x @ W^T + b for rows [from, to) of a PyTorch Linear, times `scale` (exact for powers of 2). */
  private linear(x: string, prefix: string, out: number, inp: number, o: LinearOptions = {}): string {
    const [from, to] = o.rows ?? [0, out];
    const scale = o.scale ?? 1;
    const name = from === 0 && to === out ? prefix : `${prefix}[${from}:${to}]`;
    const w = linearToMatMul(
      param(this.weights, `${prefix}.weight`, [out, inp]),
      out,
      inp,
      [from, to],
      scale,
    );
    let bias: Float32Array = param(this.weights, `${prefix}.bias`, [out])
      .slice(from, to)
      .map((v) => v * scale);
    if (o.shift) bias = shiftedBias(bias, w, o.shift);
    if (o.centre) {
      centreColumns(w, inp, to - from);
      centreColumns(bias, 1, to - from);
    }
    const y = this.store.matmul(x, `${name}.w`, w, inp, to - from);
    return this.b.op('Add', [y, this.store.tensor(`${name}.b`, bias, [to - from])]);
  }

  /** [N*L, 128] -> [N, 8, L, 16] (or [N, 8, 16, L] with `keyLayout`). */
  private heads(x: string, ctx: BlockContext, keyLayout: boolean): string {
    const split = this.b.op('Reshape', [x, ctx.headShape]);
    return this.b.op('Transpose', [split], { perm: attr.ints(keyLayout ? [0, 2, 3, 1] : [0, 2, 1, 3]) });
  }

  /**
   * Multi-head self-attention over the tokens, given as [N*L, 128]. `keyBias` [N, 1, 1, L] is
   * 0 for kept tokens and -1e9 for dropped ones: after softmax a dropped key has weight
   * exactly 0, which is what removing the token (upstream's mask_tokens) gives.
   */
  private attention(n: Normed, prefix: string, ctx: BlockContext): string {
    const qkv = `${prefix}.qkv`;
    const { x, shift } = n;
    // 1/sqrt(16) = 0.25 is a power of two, so folding it into W_q and b_q is exact.
    const scale = 1 / Math.sqrt(HEAD_DIM);
    const part = (i: number, o: LinearOptions) =>
      this.linear(x, qkv, 3 * WIDTH, WIDTH, { rows: [i * WIDTH, (i + 1) * WIDTH], shift, ...o });
    const q = this.heads(part(0, { scale }), ctx, false);
    const k = this.heads(part(1, {}), ctx, true);
    const v = this.heads(part(2, {}), ctx, false);
    const scores = this.b.op('Add', [this.b.op('MatMul', [q, k]), ctx.keyBias]);
    const probs = this.b.op('Softmax', [scores], { axis: attr.int(-1) });
    const mixed = this.b.op('Transpose', [this.b.op('MatMul', [probs, v])], {
      perm: attr.ints([0, 2, 1, 3]),
    });
    const merged = this.b.op('Reshape', [mixed, this.b.int64s('merge_shape', [-1, WIDTH])]);
    return this.linear(merged, `${prefix}.proj`, WIDTH, WIDTH, { centre: this.streamNorm === 'rms' });
  }

  /**
   * Masked mean over each pixel's tokens of flat rows [N*L, width], regrouped by `shape`, as
   * a batched [1, L] x [L, width] MatMul: cheaper than Mul + ReduceSum on both CPU builds.
   */
  private meanOverTokens(rows: string, shape: string, width: number, ctx: BlockContext): string {
    const sums = this.b.op('MatMul', [ctx.meanWeights, this.b.op('Reshape', [rows, shape])]);
    return this.b.op('Reshape', [sums, this.b.int64s('pooled_shape', [-1, width])]);
  }

  /**
   * timm-style blocks, x + attn(norm1(x)) then x + mlp(norm2(x)), on the token rows
   * [N*L, 128], then upstream's output: LayerNorm of the mean over the kept tokens [N, 128].
   */
  encode(tokens: string, context: BlockContext): string {
    const ctx = { ...context, keyBias: perQueryKeyBias(this.b, context.keyBias) };
    const b = this.b;
    const centre = this.streamNorm === 'rms';
    let x = centre ? centreRows(b, tokens) : tokens;
    for (let i = 0; i < BLOCKS; i++) {
      const p = `encoder.blocks.${i}`;
      const afterAttn = b.op('Add', [x, this.attention(this.norm(x, `${p}.norm1`), `${p}.attn`, ctx)]);
      const n2 = this.norm(afterAttn, `${p}.norm2`);
      const hidden = gelu(
        this.b,
        this.linear(n2.x, `${p}.mlp.fc1`, HIDDEN, WIDTH, { shift: n2.shift }),
        this.geluForm,
      );
      if (i < BLOCKS - 1) {
        x = b.op('Add', [afterAttn, this.linear(hidden, `${p}.mlp.fc2`, WIDTH, HIDDEN, { centre })]);
        continue;
      }
      // mean(a + fc2(h)) = mean(a) + fc2(mean(h)): the kept-token weights sum to 1.
      const meanHidden = this.meanOverTokens(hidden, ctx.hiddenShape, HIDDEN, ctx);
      const pooled = b.op('Add', [
        this.meanOverTokens(afterAttn, ctx.tokenShape, WIDTH, ctx),
        this.linear(meanHidden, `${p}.mlp.fc2`, WIDTH, HIDDEN, { centre }),
      ]);
      const exit = this.norm(pooled, 'encoder.norm');
      if (!exit.shift) return exit.x;
      return b.op('Add', [exit.x, this.store.tensor('encoder.norm.bias', exit.shift, [WIDTH])]);
    }
    throw new AppError('internal', 'The Presto encoder has no blocks.');
  }
}
