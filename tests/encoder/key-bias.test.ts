import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildGalileoPixelOnnx } from '../../models/convert/galileo-graph.ts';
import { perQueryKeyBias } from '../../models/convert/key-bias.ts';
import { buildPrestoOnnx } from '../../models/convert/presto-graph.ts';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import { mulberry32 } from '../../src/lib/math/index.ts';
import { GraphBuilder } from '../../src/lib/onnx/index.ts';
import { GALILEO_CHECKPOINT, missingGalileo } from './galileo-fixtures.ts';
import { CHECKPOINT_PATH, missing } from './presto-fixtures.ts';

const N = 3;
const L = 5;

/** scores [N, 8, L, L] + keyBias [N, 1, 1, L], once as it is and once spread over the queries. */
function biasGraph(): Uint8Array {
  const b = new GraphBuilder('key_bias');
  const scores = b.input('scores', 'float32', [N, 8, L, L]);
  const keyBias = b.input('key_bias', 'float32', [N, 1, 1, L]);
  const spread = perQueryKeyBias(b, keyBias);
  b.node('Identity', [spread], ['spread']);
  b.node('Add', [scores, keyBias], ['direct']);
  b.node('Add', [scores, spread], ['via_spread']);
  b.output('spread', 'float32', [N, 1, L, L]);
  b.output('direct', 'float32', [N, 8, L, L]);
  b.output('via_spread', 'float32', [N, 8, L, L]);
  return b.toModel({ opset: 17 });
}

describe('the attention key bias, spread over the queries once per graph', () => {
  it('is the key bias on every query row, and scores plus it are bit-identical to before', async () => {
    const rng = mulberry32(3);
    const scores = Float32Array.from({ length: N * 8 * L * L }, () => 20 * (rng() - 0.5));
    // 0 for a kept key, -1e9 for a dropped one, as the graphs make it.
    const keyBias = Float32Array.from({ length: N * L }, (_, i) => (i % 3 === 1 ? -1e9 : 0));
    const session = await ort.InferenceSession.create(biasGraph());
    try {
      const out = await session.run({
        scores: new ort.Tensor('float32', scores, [N, 8, L, L]),
        key_bias: new ort.Tensor('float32', keyBias, [N, 1, 1, L]),
      });
      expect(out.spread?.dims).toEqual([N, 1, L, L]);
      const spread = Array.from(out.spread?.data as Float32Array);
      for (let n = 0; n < N; n++)
        for (let q = 0; q < L; q++)
          expect(spread.slice((n * L + q) * L, (n * L + q + 1) * L)).toEqual(
            Array.from(keyBias.subarray(n * L, (n + 1) * L)),
          );
      expect(Array.from(out.via_spread?.data as Float32Array)).toEqual(
        Array.from(out.direct?.data as Float32Array),
      );
    } finally {
      await session.release();
    }
  });

  /** In `bytes`, the op type of what feeds each attention's score Add (the Add before a Softmax). */
  function scoreBiasSources(bytes: Uint8Array): string[] {
    const nodes = onnxProto.onnx.ModelProto.decode(bytes).graph?.node ?? [];
    const producer = new Map(nodes.flatMap((n) => (n.output ?? []).map((o) => [o, n.opType ?? ''] as const)));
    const softmaxInputs = new Set(nodes.filter((n) => n.opType === 'Softmax').map((n) => n.input?.[0]));
    return nodes
      .filter((n) => n.opType === 'Add' && n.output?.some((o) => softmaxInputs.has(o)))
      .map((n) => producer.get(n.input?.[1] ?? '') ?? 'graph input');
  }

  const galileoSkip = missingGalileo(GALILEO_CHECKPOINT);
  it.skipIf(galileoSkip)('Galileo: each of the 4 blocks adds the spread bias to its scores', () => {
    const weights = readTorchCheckpoint(new Uint8Array(readFileSync(GALILEO_CHECKPOINT)));
    // Before, each block added the [N, 1, 1, L] bias, which made that Add 2-4x slower at T = 1.
    expect(scoreBiasSources(buildGalileoPixelOnnx(weights, 'fp32'))).toEqual(Array(4).fill('Expand'));
  });

  const prestoSkip = missing(CHECKPOINT_PATH);
  it.skipIf(prestoSkip)('Presto: each of the 2 blocks adds the spread bias to its scores', () => {
    const weights = readTorchCheckpoint(new Uint8Array(readFileSync(CHECKPOINT_PATH)));
    expect(scoreBiasSources(buildPrestoOnnx(weights, 'int8'))).toEqual(Array(2).fill('Expand'));
  });
});
