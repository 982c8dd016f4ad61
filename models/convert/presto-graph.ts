import { PRESTO_CHANNEL_COUNT as C, PRESTO_DIM as D } from '../../src/lib/encoder/index.ts';
import { attr, GraphBuilder } from '../../src/lib/onnx/index.ts';
import type { GeluForm } from './gelu.ts';
import { type BlockContext, PrestoBlocks, type StreamNorm } from './presto-blocks.ts';
import { PrestoTokens } from './presto-tokens.ts';
import type { CheckpointTensor } from './torch-checkpoint.ts';
import { type WeightDtype, WeightStore } from './weight-store.ts';

/** Graph input/output names; inputs are per-pixel batches with T (1..24) time steps. */
export const PRESTO_IO = {
  x: 'x', // [N, T, 17] float32, physical units
  mask: 'mask', // [N, T, 17] float32, 1 = missing
  dynamicWorld: 'dynamic_world', // [N, T] int64, 0..8, 9 = missing
  latlons: 'latlons', // [N, 2] float32, degrees
  month: 'month', // [N, T] int64, 0..11
  embedding: 'embedding', // [N, 128] float32
} as const;

/** Added to the attention score of a dropped key: after softmax its weight is exactly 0. */
const DROPPED_SCORE = -1e9;

/**
 * Upstream's mask_tokens, with the same effect: per pixel the kept tokens move to the front
 * (TopK of the 0/1 kept flags; their order is irrelevant) and the sequence is cut to the
 * batch's largest kept count L'. A pixel with fewer kept tokens carries dropped ones as
 * padding, still excluded by the key bias and the masked mean. For a Sentinel-2 scene this
 * cuts T = 1 from 11 tokens to 7 (S1, ERA5, SRTM and dynamic world are always missing).
 */
export function compactTokens(
  b: GraphBuilder,
  sequence: string,
  kept: string,
): { tokens: string; kept: string } {
  const counts = b.op('ReduceSum', [kept, b.int64s('axes', [1])], { keepdims: attr.int(0) });
  const longest = b.op('Cast', [b.op('ReduceMax', [counts], { keepdims: attr.int(1) })], { to: attr.int(7) });
  const [keptFirst, order] = b.node('TopK', [kept, longest], ['kept_sorted', 'kept_order'], {
    axis: attr.int(1),
    largest: attr.int(1),
    sorted: attr.int(1),
  });
  const index = b.op('Unsqueeze', [order!, b.int64s('axes', [2])]);
  return { tokens: b.op('GatherND', [sequence, index], { batch_dims: attr.int(1) }), kept: keptFirst! };
}

/**
 * Emits the Presto encoder (Tseng et al. 2023) from its checkpoint's `encoder.*` tensors.
 * Tokens are laid out [lat/lon, SRTM, (t, group) for t < T], not upstream's group-major
 * order: the transformer has no order-dependent term beyond the embeddings added to each
 * token, and the output is a mean, so the order cannot matter. Dropped tokens are compacted
 * away as far as the batch allows and the rest are excluded from every attention (key bias)
 * and from the mean, which gives upstream's result.
 */
export function buildPrestoOnnx(
  weights: ReadonlyMap<string, CheckpointTensor>,
  dtype: WeightDtype,
  options: { streamNorm?: StreamNorm; gelu?: GeluForm } = {},
): Uint8Array {
  const b = new GraphBuilder('presto_encoder');
  const store = new WeightStore(b, dtype);
  const x = b.input(PRESTO_IO.x, 'float32', ['N', 'T', C]);
  const mask = b.input(PRESTO_IO.mask, 'float32', ['N', 'T', C]);
  const dw = b.input(PRESTO_IO.dynamicWorld, 'int64', ['N', 'T']);
  const latlons = b.input(PRESTO_IO.latlons, 'float32', ['N', 2]);
  const month = b.input(PRESTO_IO.month, 'int64', ['N', 'T']);

  const t = new PrestoTokens(b, store, weights);
  const xz = t.normalise(x, mask);
  const timed = t.timed(xz, mask, x, dw, month);
  const srtm = t.srtm(xz, mask);
  const latlon = t.latlon(latlons, srtm.dropped);
  const parts = [latlon, srtm, timed];
  const sequence = b.op(
    'Concat',
    parts.map((p) => p.tokens),
    { axis: attr.int(1) },
  );
  const dropped = b.op(
    'Concat',
    parts.map((p) => p.dropped),
    { axis: attr.int(1) },
  );
  const allKept = b.op('Sub', [b.floats('one', [1], []), dropped]);
  const { tokens, kept } = compactTokens(b, sequence, allKept);
  // kept 1 -> 0, kept 0 -> -1e9.
  const keyBias = t.unsqueeze(
    b.op('Mul', [
      b.op('Sub', [kept, b.floats('one', [1], [])]),
      b.floats('dropped_score', [-DROPPED_SCORE], []),
    ]),
    [1, 2],
  );

  // Shapes that regroup the flat [N*L, 128] token rows per pixel, from the compacted tokens.
  const pixelsAndTokens = b.op('Shape', [tokens], { start: attr.int(0), end: attr.int(2) });
  const shapeWith = (base: string, tail: number[]): string =>
    b.op('Concat', [pixelsAndTokens, b.int64s(base, tail)], { axis: attr.int(0) });
  const counts = b.op('ReduceSum', [kept, b.int64s('axes', [1])], { keepdims: attr.int(1) });
  const ctx: BlockContext = {
    keyBias,
    headShape: shapeWith('head_shape', [8, 16]),
    tokenShape: shapeWith('token_shape', [D]),
    hiddenShape: shapeWith('hidden_shape', [4 * D]),
    meanWeights: t.unsqueeze(b.op('Div', [kept, counts]), [1]),
  };
  const flat = b.op('Reshape', [tokens, b.int64s('flat_shape', [-1, D])]);
  const embedding = new PrestoBlocks(b, store, weights, options.streamNorm, options.gelu).encode(flat, ctx);
  b.node('Identity', [embedding], [PRESTO_IO.embedding]);
  b.output(PRESTO_IO.embedding, 'float32', ['N', D]);
  return b.toModel({
    opset: 17,
    docString:
      'Presto encoder (Tseng et al. 2023, MIT), converted by earth-embedding-explorer models/convert.',
    metadata: { model: 'presto', weights: dtype },
  });
}
