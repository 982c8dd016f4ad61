import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGalileoModels } from '../../models/convert/galileo-build.ts';
import { buildGalileoPatchOnnx } from '../../models/convert/galileo-graph.ts';
import type { BuiltModel } from '../../models/convert/presto-build.ts';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import rawManifest from '../../models/galileo-nano/manifest.json';
import { parseModelManifest, verifyModelBytes } from '../../src/lib/encoder/model-manifest.ts';
import {
  allGalileoCases,
  GALILEO_CHECKPOINT,
  GALILEO_GOLDEN,
  GALILEO_GOLDEN_PIXELS,
  missingGalileo,
} from './galileo-fixtures.ts';
import {
  compare,
  type GalileoGoldenCase,
  galileoExpected,
  galileoGoldenInputs,
  tokensMaxDiff,
} from './galileo-golden-cases.ts';

const skip = missingGalileo(GALILEO_CHECKPOINT, GALILEO_GOLDEN, GALILEO_GOLDEN_PIXELS);

/** The bounds: fp32 max |diff| < 1e-4 on every case, fp16 cosine >= 0.999, int8 >= 0.99. */
const BOUNDS = {
  fp32: { maxDiff: 1e-4, cosine: 0.999999 },
  fp16: { maxDiff: 0.01, cosine: 0.999 },
  int8: { maxDiff: 0.2, cosine: 0.99 },
} as const;
type Dtype = keyof typeof BOUNDS;

async function run(graph: Uint8Array, c: GalileoGoldenCase): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(graph);
  try {
    const i = galileoGoldenInputs(c);
    const out = await session.run({
      x: new ort.Tensor('float32', i.x, i.dims),
      mask: new ort.Tensor('float32', i.mask, i.dims),
      month: new ort.Tensor('int64', i.month, i.monthDims),
    });
    return out.embedding?.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe.skipIf(skip)(
  'Galileo-nano converted by the project, against the upstream PyTorch golden vectors',
  () => {
    const out = mkdtempSync(join(tmpdir(), 'eee-galileo-'));
    const manifest = parseModelManifest(rawManifest);
    let built: BuiltModel[] = [];
    const cases = skip ? [] : allGalileoCases();
    const weights = skip ? new Map() : readTorchCheckpoint(new Uint8Array(readFileSync(GALILEO_CHECKPOINT)));

    beforeAll(async () => {
      // Also the pin check: buildGalileoModels refuses bytes that differ from the committed manifest.
      ({ built } = await buildGalileoModels({
        checkpoint: readFileSync(GALILEO_CHECKPOINT),
        manifest,
        outDir: out,
      }));
    });
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('writes every pixel-mode variant with the committed size and SHA-256', async () => {
      expect(built.map((m) => m.dtype)).toEqual(['fp32', 'fp16', 'int8']);
      for (const variant of manifest.variants)
        await verifyModelBytes(readFileSync(join(out, variant.file)), variant);
    });

    it('int8 runs all 24 transformer projections as integer MatMuls, fp32 and fp16 none', () => {
      const ops = (dtype: string): (string | null | undefined)[] => {
        const model = built.find((m) => m.dtype === dtype);
        if (!model) throw new Error(`${dtype} was not built`);
        return (onnxProto.onnx.ModelProto.decode(model.bytes).graph?.node ?? []).map((n) => n.opType);
      };
      const count = (list: (string | null | undefined)[], op: string): number =>
        list.filter((o) => o === op).length;
      // 4 blocks x (q, k, v, proj, fc1, fc2).
      expect(count(ops('int8'), 'MatMulInteger')).toBe(24);
      for (const dtype of ['fp32', 'fp16']) expect(count(ops(dtype), 'MatMulInteger')).toBe(0);
      // GELU: the tanh form in int8 (its quantised products move embeddings far more), exact elsewhere.
      expect([count(ops('int8'), 'Tanh'), count(ops('int8'), 'Erf')]).toEqual([4, 0]);
      for (const dtype of ['fp32', 'fp16'])
        expect([count(ops(dtype), 'Erf'), count(ops(dtype), 'Tanh')]).toEqual([4, 0]);
    });

    it('onnxruntime fuses each GELU into one kernel: FastGelu in int8, the exact Gelu in fp32', async () => {
      const fused = async (dtype: string): Promise<(string | null | undefined)[]> => {
        const model = built.find((m) => m.dtype === dtype);
        if (!model) throw new Error(`${dtype} was not built`);
        const path = join(out, `${dtype}.optimised.onnx`);
        const session = await ort.InferenceSession.create(model.bytes, {
          graphOptimizationLevel: 'all',
          optimizedModelFilePath: path,
        });
        await session.release();
        return (onnxProto.onnx.ModelProto.decode(readFileSync(path)).graph?.node ?? []).map((n) => n.opType);
      };
      const int8 = await fused('int8');
      const fp32 = await fused('fp32');
      expect([int8.filter((o) => o === 'FastGelu').length, int8.includes('Tanh')]).toEqual([4, false]);
      expect([fp32.filter((o) => o === 'Gelu').length, fp32.includes('Erf')]).toEqual([4, false]);
    });

    it('fp32: every exit-normed token of every case within 1e-4 (patch graphs; pixels as 1 x 1 windows)', async () => {
      for (const c of cases) {
        const graph = buildGalileoPatchOnnx(weights, 'fp32', c.patch_size, { tokens: true });
        const session = await ort.InferenceSession.create(graph);
        try {
          const i = galileoGoldenInputs(c);
          // A pixel case [N, T, 13] is N windows of 1 x 1 pixel at patch 1.
          const dims = i.dims.length === 3 ? [i.dims[0] ?? 1, 1, 1, i.dims[1] ?? 1, i.dims[2] ?? 13] : i.dims;
          const out = await session.run({
            x: new ort.Tensor('float32', i.x, dims),
            mask: new ort.Tensor('float32', i.mask, dims),
            month: new ort.Tensor('int64', i.month, i.monthDims),
          });
          expect(tokensMaxDiff(c, out.tokens?.data as Float32Array), `${c.name} tokens`).toBeLessThan(1e-4);
          const pooled = compare(out.embedding?.data as Float32Array, galileoExpected(c));
          expect(pooled.maxDiff, `${c.name} per_patch`).toBeLessThan(1e-4);
        } finally {
          await session.release();
        }
      }
    });

    for (const dtype of Object.keys(BOUNDS) as Dtype[]) {
      it(`${dtype}: reproduces every golden case (pixels T=1, T=4; patch 8 T=1, T=4; patch 4)`, async () => {
        const pixel = built.find((m) => m.dtype === dtype)?.bytes;
        if (!pixel) throw new Error(`${dtype} was not built`);
        const bound = BOUNDS[dtype];
        for (const c of cases) {
          const graph = c.patch_size === 1 ? pixel : buildGalileoPatchOnnx(weights, dtype, c.patch_size);
          const { maxDiff, minCosine } = compare(await run(graph, c), galileoExpected(c));
          expect(maxDiff, `${c.name}: max |diff|`).toBeLessThan(bound.maxDiff);
          expect(minCosine, `${c.name}: smallest cosine`).toBeGreaterThanOrEqual(bound.cosine);
        }
      });
    }
  },
);
