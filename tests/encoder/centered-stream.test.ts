import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { centreColumns, centreRows, rmsNorm, shiftedBias } from '../../models/convert/centered-stream.ts';
import { WeightStore } from '../../models/convert/weight-store.ts';
import { mulberry32 } from '../../src/lib/math/index.ts';
import { attr, GraphBuilder } from '../../src/lib/onnx/index.ts';

const D = 128;
const OUT = 16;
const ROWS = 5;
const EPS = 1e-5;
const rng = mulberry32(7);
const random = (n: number, scale = 1, offset = 0): Float32Array =>
  Float32Array.from({ length: n }, () => offset + scale * (rng() - 0.5));

// A pre-norm Linear as upstream writes it (LayerNorm, then x W + b) and as the converter now
// emits it (tokens centred, RMS norm, beta moved into the bias, output columns centred).
const x = random(ROWS * D, 4, 0.7); // far from mean-free, as real tokens are
const gamma = random(D, 1, 1);
const beta = random(D, 0.5);
const w = random(D * OUT, 0.2);
const bias = random(OUT, 0.3);

function upstream(): Uint8Array {
  const b = new GraphBuilder('layer');
  const input = b.input('x', 'float32', [ROWS, D]);
  const normed = b.op('LayerNormalization', [input, b.floats('g', gamma), b.floats('b', beta)], {
    axis: attr.int(-1),
    epsilon: attr.float(EPS),
  });
  const y = b.op('Add', [b.op('MatMul', [normed, b.floats('w', w, [D, OUT])]), b.floats('bias', bias)]);
  b.node('Identity', [y], ['y']);
  b.output('y', 'float32', [ROWS, OUT]);
  return b.toModel({ opset: 17 });
}

function converted(centreOutput: boolean): Uint8Array {
  const b = new GraphBuilder('rms');
  const input = b.input('x', 'float32', [ROWS, D]);
  const normed = rmsNorm(b, new WeightStore(b, 'fp32'), centreRows(b, input), 'n', gamma, EPS);
  const w2 = w.slice();
  const bias2 = shiftedBias(bias, w2, beta);
  if (centreOutput) {
    centreColumns(w2, D, OUT);
    centreColumns(bias2, 1, OUT);
  }
  const y = b.op('Add', [b.op('MatMul', [normed, b.floats('w', w2, [D, OUT])]), b.floats('bias', bias2)]);
  b.node('Identity', [y], ['y']);
  b.output('y', 'float32', [ROWS, OUT]);
  return b.toModel({ opset: 17 });
}

async function run(
  model: Uint8Array,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, options);
  try {
    const out = await session.run({ x: new ort.Tensor('float32', x, [ROWS, D]) });
    return out.y?.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('the mean-free residual stream (models/convert/centered-stream.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eee-centred-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives what LayerNorm then the Linear gives (beta in the bias), and centres the output when asked', async () => {
    const expected = await run(upstream());
    const actual = await run(converted(false));
    const centred = await run(converted(true));
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i] ?? Number.NaN, 5);
    for (let r = 0; r < ROWS; r++) {
      const row = expected.subarray(r * OUT, (r + 1) * OUT);
      const mean = row.reduce((a, v) => a + v, 0) / OUT;
      for (let c = 0; c < OUT; c++) expect(centred[r * OUT + c]).toBeCloseTo((row[c] ?? 0) - mean, 5);
    }
  });

  it('is fused by onnxruntime into one SimplifiedLayerNormalization (the speed rests on it)', async () => {
    const path = join(dir, 'optimised.onnx');
    await run(converted(true), {
      graphOptimizationLevel: 'all',
      optimizedModelFilePath: path,
      logSeverityLevel: 3,
    });
    const ops = (onnxProto.onnx.ModelProto.decode(readFileSync(path)).graph?.node ?? []).map((n) => n.opType);
    expect(ops.filter((op) => op === 'SimplifiedLayerNormalization')).toHaveLength(1);
    for (const op of ['Pow', 'Sqrt', 'Div', 'LayerNormalization']) expect(ops).not.toContain(op);
  });
});
