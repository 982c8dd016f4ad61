import { GALILEO_CHANNEL_COUNT as C, GALILEO_DIM as D, GALILEO_GROUPS } from '../../src/lib/encoder/index.ts';
import { attr, GraphBuilder } from '../../src/lib/onnx/index.ts';
import { GalileoBlocks } from './galileo-blocks.ts';
import { GALILEO_MAX_GRID, GalileoTokens } from './galileo-tokens.ts';
import type { GeluForm } from './gelu.ts';
import type { StreamNorm } from './presto-blocks.ts';
import { compactTokens } from './presto-graph.ts';
import type { CheckpointTensor } from './torch-checkpoint.ts';
import { type WeightDtype, WeightStore } from './weight-store.ts';

const G = GALILEO_GROUPS.length;

/** Graph input/output names. */
export const GALILEO_IO = {
  x: 'x', // pixel [N, T, 13] | patch [N, H, W, T, 13] float32: S1 dB, S2 DN, NDVI
  mask: 'mask', // same shape, 1 = missing
  month: 'month', // [N, T] int64, 0..11
  embedding: 'embedding', // pixel [N, 128] | patch [N, (H/p)*(W/p), 128]
} as const;

/** Added to the attention score of a dropped key: after softmax its weight is exactly 0. */
const DROPPED_SCORE = -1e9;

function keyBiasOf(b: GraphBuilder, kept: string, shape: string): string {
  const bias = b.op('Mul', [
    b.op('Sub', [kept, b.floats('one', [1], [])]),
    b.floats('dropped', [-DROPPED_SCORE], []),
  ]);
  return b.op('Reshape', [bias, shape]);
}

/** kept / max(kept count, 1) along the last axis: mean weights (a sample with none pools to 0). */
function meanWeights(b: GraphBuilder, kept: string): string {
  const counts = b.op('ReduceSum', [kept, b.int64s('axes', [-1])], { keepdims: attr.int(1) });
  return b.op('Div', [kept, b.op('Max', [counts, b.floats('one', [1], [])])]);
}

function model(b: GraphBuilder, dtype: WeightDtype, patch: number): Uint8Array {
  return b.toModel({
    opset: 17,
    docString: `Galileo-nano encoder (Tseng et al. 2025, NASA Harvest, MIT), space-time Sentinel-1/2 branch, patch ${patch}; converted by earth-embedding-explorer models/convert.`,
    metadata: { model: 'galileo-nano', weights: dtype, patch: String(patch) },
  });
}

/**
 * Pixel mode, upstream's default `make_embeddings(window_size=1, patch_size=1)`: each pixel is
 * its own sample of 7*T tokens (one per channel group and time step) at spatial position 0.
 * Masked groups (always S1 for a Sentinel-2 source, cloudy dates) are compacted away as far as
 * the batch allows (TopK + GatherND, upstream's remove_masked_tokens) and any left as padding
 * are excluded by a key bias and from the mean. Output: `global_mean`, the mean of the
 * exit-normed kept tokens.
 */
export function buildGalileoPixelOnnx(
  weights: ReadonlyMap<string, CheckpointTensor>,
  dtype: WeightDtype,
  options: { streamNorm?: StreamNorm; gelu?: GeluForm } = {},
): Uint8Array {
  const b = new GraphBuilder('galileo_nano_pixel');
  const store = new WeightStore(b, dtype);
  const x = b.input(GALILEO_IO.x, 'float32', ['N', 'T', C]);
  const mask = b.input(GALILEO_IO.mask, 'float32', ['N', 'T', C]);
  const month = b.input(GALILEO_IO.month, 'int64', ['N', 'T']);
  const t = new GalileoTokens(b, store, weights, 1);

  const projected = b.op('MatMul', [
    t.normalise(x, mask),
    store.tensor('patch_projection', t.projection(), [C, G * D]),
  ]);
  const groups = b.op('Reshape', [projected, b.int64s('group_shape', [0, 0, G, D])]);
  const channels = store.tensor('channel_embed', t.channelTable(true), [G, D]);
  const embeds = b.op('Add', [t.unsqueeze(t.dateEncodings(month), [2]), channels]);
  const sequence = b.op('Reshape', [b.op('Add', [groups, embeds]), b.int64s('sequence_shape', [0, -1, D])]);
  const dropped = b.op('Reshape', [t.groupDropped(mask), b.int64s('drop_shape', [0, -1])]);
  const compacted = compactTokens(b, sequence, b.op('Sub', [b.floats('one', [1], []), dropped]));

  const samples = b.op('Shape', [compacted.tokens], { start: attr.int(0), end: attr.int(1) });
  const shapeWith = (base: string, tail: number[]): string =>
    b.op('Concat', [samples, b.int64s(base, tail)], { axis: attr.int(0) });
  const ctx = {
    keyBias: keyBiasOf(b, compacted.kept, shapeWith('bias_shape', [1, 1, -1])),
    headShape: shapeWith('head_shape', [-1, 8, 16]),
  };
  const flat = b.op('Reshape', [compacted.tokens, b.int64s('flat_shape', [-1, D])]);
  const encoded = new GalileoBlocks(b, store, weights, options.streamNorm, options.gelu).encode(flat, ctx);
  const perSample = b.op('Reshape', [encoded, shapeWith('token_shape', [-1, D])]);
  const pooled = b.op('MatMul', [t.unsqueeze(meanWeights(b, compacted.kept), [1]), perSample]);
  b.node('Reshape', [pooled, b.int64s('embedding_shape', [-1, D])], [GALILEO_IO.embedding]);
  b.output(GALILEO_IO.embedding, 'float32', ['N', D]);
  return model(b, dtype, 1);
}

/**
 * Patch mode (p = 2..8): windows [N, H, W, T, 13] with H = W a multiple of p and H/p <= 16.
 * Each p x p patch and time step gives one token per group (the checkpoint's 8 x 8 kernels
 * resized to p by the converter), with the 2-D spatial encoding of its place in the window.
 * A token's mask is its patch's top-left pixel (upstream). Masked tokens are excluded by a
 * key bias (not compacted: the per-patch mean must know where each token is). Output:
 * `per_patch`, per patch the mean of its kept exit-normed tokens, [N, (H/p)*(W/p), 128];
 * with `tokens`, also every token (`space_time_tokens`), for the golden tests.
 */
export function buildGalileoPatchOnnx(
  weights: ReadonlyMap<string, CheckpointTensor>,
  dtype: WeightDtype,
  patch: number,
  options: { tokens?: boolean; streamNorm?: StreamNorm; gelu?: GeluForm } = {},
): Uint8Array {
  const b = new GraphBuilder(`galileo_nano_p${patch}`);
  const store = new WeightStore(b, dtype);
  const x = b.input(GALILEO_IO.x, 'float32', ['N', 'H', 'W', 'T', C]);
  const mask = b.input(GALILEO_IO.mask, 'float32', ['N', 'H', 'W', 'T', C]);
  const month = b.input(GALILEO_IO.month, 'int64', ['N', 'T']);
  const t = new GalileoTokens(b, store, weights, patch);
  const dim = (i: number): string => b.op('Shape', [x], { start: attr.int(i), end: attr.int(i + 1) });
  const n = dim(0);
  const steps = dim(3);
  const pk = b.int64s('patch', [patch]);
  const h = b.op('Div', [dim(1), pk]);
  const w = b.op('Div', [dim(2), pk]);
  const cat = (parts: string[]): string => b.op('Concat', parts, { axis: attr.int(0) });
  const ints = (base: string, v: number[]): string => b.int64s(base, v);

  // [N, H, W, T, 13] -> [N, h, p, w, p, T, 13] -> [N, h, w, T, p, p, 13] -> [N, h*w, T, p*p*13]
  const xz = t.normalise(x, mask);
  const split = b.op('Reshape', [xz, cat([n, h, pk, w, pk, steps, ints('c', [C])])]);
  const patches = b.op('Transpose', [split], { perm: attr.ints([0, 1, 3, 5, 2, 4, 6]) });
  const rows = b.op('Reshape', [
    patches,
    cat([n, ints('m1', [-1]), steps, ints('ppc', [patch * patch * C])]),
  ]);
  const projected = b.op('MatMul', [
    rows,
    store.tensor('patch_projection', t.projection(), [patch * patch * C, G * D]),
  ]);
  const groups = b.op('Reshape', [projected, cat([n, ints('m1', [-1]), steps, ints('gd', [G, D])])]);
  const dates = t.unsqueeze(t.dateEncodings(month), [1, 3]); // [N, 1, T, 1, 128]
  const zeros = ints('zeros', [0, 0]);
  const grid = b.op('Slice', [t.spatialTable(), zeros, cat([h, w]), ints('axes01', [0, 1])]);
  const spatial = b.op('Reshape', [grid, ints('spatial_shape', [-1, 1, 1, D])]); // [S, 1, 1, 128]
  const channels = store.tensor('channel_embed', t.channelTable(false), [G, D]);
  const tokens = b.op('Add', [b.op('Add', [groups, dates]), b.op('Add', [spatial, channels])]);

  // Token mask: the patch's top-left pixel, [N, h, w, T, 13] -> [N, h*w, T, 7].
  const big = ints('big', [GALILEO_MAX_GRID * 64, GALILEO_MAX_GRID * 64]);
  const corners = b.op('Slice', [mask, zeros, big, ints('axes12', [1, 2]), ints('steps', [patch, patch])]);
  const cornerRows = b.op('Reshape', [corners, cat([n, ints('m1', [-1]), steps, ints('c', [C])])]);
  const kept = b.op('Sub', [b.floats('one', [1], []), t.groupDropped(cornerRows)]);
  const perPatchShape = cat([n, ints('m1', [-1]), b.op('Mul', [steps, ints('g', [G])])]);
  const keptPerPatch = b.op('Reshape', [kept, perPatchShape]); // [N, S, T*7]

  const ctx = {
    keyBias: keyBiasOf(b, kept, cat([n, ints('bias_tail', [1, 1, -1])])),
    headShape: cat([n, ints('head_tail', [-1, 8, 16])]),
  };
  const flat = b.op('Reshape', [tokens, ints('flat_shape', [-1, D])]);
  const encoded = new GalileoBlocks(b, store, weights, options.streamNorm, options.gelu).encode(flat, ctx);
  const grouped = b.op('Reshape', [
    encoded,
    cat([n, ints('m1', [-1]), b.op('Mul', [steps, ints('g', [G])]), ints('d', [D])]),
  ]);
  const pooled = b.op('MatMul', [t.unsqueeze(meanWeights(b, keptPerPatch), [2]), grouped]); // [N, S, 1, 128]
  b.node('Reshape', [pooled, cat([n, ints('m1', [-1]), ints('d', [D])])], [GALILEO_IO.embedding]);
  b.output(GALILEO_IO.embedding, 'float32', ['N', 'S', D]);
  if (options.tokens) {
    // Tests only: every exit-normed token, [N, S*T*7, 128] in (patch, date, group) order.
    b.node('Reshape', [encoded, cat([n, ints('m1', [-1]), ints('d', [D])])], ['tokens']);
    b.output('tokens', 'float32', ['N', 'L', D]);
  }
  return model(b, dtype, patch);
}
