import { attr, type GraphBuilder } from '../../src/lib/onnx/index.ts';

/**
 * The attention's key bias [N, 1, 1, L] spread once over the queries, [N, 1, L, L], for the
 * blocks to add to their scores [N, 8, L, L]. Same values, so the same results; but ORT's
 * broadcasting Add walks its output in runs as long as the bias's contiguous tail, and a tail
 * of L = 6 (one date) made that Add 2-4x slower an element (at L = 72, 1.1x) than one of L * L.
 */
export function perQueryKeyBias(b: GraphBuilder, keyBias: string): string {
  const keys = b.op('Shape', [keyBias], { start: attr.int(3) });
  const spread = b.op('Concat', [b.int64s('one_one', [1, 1]), keys, b.int64s('one', [1])], {
    axis: attr.int(0),
  });
  return b.op('Expand', [keyBias, spread]);
}
