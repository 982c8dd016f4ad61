import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltModel, buildPrestoModels } from '../../models/convert/presto-build.ts';
import rawManifest from '../../models/presto/manifest.json';
import { parseModelManifest, verifyModelBytes } from '../../src/lib/encoder/model-manifest.ts';
import { buildPrestoSceneInputs, PRESTO_S2_CHANNEL } from '../../src/lib/encoder/presto-inputs.ts';
import { PrestoSession } from '../../src/lib/encoder/presto-session.ts';
import { PRESTO_CHANNELS } from '../../src/lib/encoder/presto-spec.ts';
import { SPECTRAL_BANDS, type SpectralBand } from '../../src/lib/encoder/spectral-manifest.ts';
import {
  CHECKPOINT_PATH,
  compare,
  GOLDEN_PATH,
  goldenInputs,
  missing,
  readGolden,
} from './presto-fixtures.ts';

const skip = missing(CHECKPOINT_PATH) || missing(GOLDEN_PATH);

describe.skipIf(skip)(
  'Presto converted by the project, against the upstream PyTorch golden embeddings',
  () => {
    const out = mkdtempSync(join(tmpdir(), 'eee-presto-'));
    const manifest = parseModelManifest(rawManifest);
    let built: BuiltModel[] = [];

    beforeAll(async () => {
      // Also the pin check: buildPrestoModels refuses bytes that differ from the committed manifest.
      ({ built } = await buildPrestoModels({
        checkpoint: readFileSync(CHECKPOINT_PATH),
        manifest,
        outDir: out,
      }));
    });
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('writes every variant with the committed size and SHA-256', async () => {
      expect(built.map((m) => m.dtype)).toEqual(['fp32', 'fp16', 'int8']);
      for (const variant of manifest.variants) {
        await verifyModelBytes(readFileSync(join(out, variant.file)), variant);
      }
      const written = parseModelManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
      expect(written).toEqual(manifest);
    });

    it('int8 runs every transformer projection as an integer MatMul, fp32 and fp16 none', () => {
      const ops = (dtype: string) => {
        const model = built.find((m) => m.dtype === dtype);
        if (!model) throw new Error(`${dtype} was not built`);
        return (onnxProto.onnx.ModelProto.decode(model.bytes).graph?.node ?? []).map((n) => n.opType);
      };
      const count = (list: (string | null | undefined)[], op: string) => list.filter((o) => o === op).length;
      // 2 blocks x (q, k, v, proj, fc1, fc2): the speed of the WASM int8 session rests on these.
      expect(count(ops('int8'), 'MatMulInteger')).toBe(12);
      expect(count(ops('int8'), 'DynamicQuantizeLinear')).toBe(12);
      expect(count(ops('int8'), 'DequantizeLinear')).toBe(0);
      for (const dtype of ['fp32', 'fp16']) expect(count(ops(dtype), 'MatMulInteger')).toBe(0);
      // GELU: the tanh form in int8 (fused into FastGelu), exact in fp32 and fp16.
      expect([count(ops('int8'), 'Tanh'), count(ops('int8'), 'Erf')]).toEqual([2, 0]);
      for (const dtype of ['fp32', 'fp16'])
        expect([count(ops(dtype), 'Erf'), count(ops(dtype), 'Tanh')]).toEqual([2, 0]);
    });

    const bounds = {
      fp32: { maxDiff: 1e-4, cosine: 0.999999 },
      fp16: { maxDiff: 0.05, cosine: 0.999 },
      // The issue asks 0.99; 0.999 guards the int8 graph's accuracy (0.9977 when its norms'
      // beta was moved into the next bias, 0.9992 with it kept: models/convert/centered-stream.ts).
      int8: { maxDiff: 0.5, cosine: 0.999 },
    };
    for (const [dtype, bound] of Object.entries(bounds)) {
      it(`${dtype}: reproduces every golden embedding of all three cases`, async () => {
        const model = built.find((m) => m.dtype === dtype);
        if (!model) throw new Error(`${dtype} was not built`);
        const session = await PrestoSession.create(ort, model.bytes);
        try {
          for (const c of readGolden()) {
            const { maxDiff, minCosine } = compare(await session.encode(goldenInputs(c)), c.embedding);
            expect(maxDiff, `${c.name}: max |diff|`).toBeLessThan(bound.maxDiff);
            expect(minCosine, `${c.name}: smallest cosine`).toBeGreaterThanOrEqual(bound.cosine);
          }
        } finally {
          await session.release();
        }
      });
    }

    it('encodes the golden single-scene pixels from L2A reflectances built by buildPrestoSceneInputs', async () => {
      const golden = readGolden().find((c) => c.name === 's2_single_timestep');
      if (!golden) throw new Error('no s2_single_timestep case');
      const session = await PrestoSession.create(ort, built[0]!.bytes);
      try {
        for (const [n, pixel] of golden.x_raw.entries()) {
          const bands: Partial<Record<SpectralBand, Float32Array>> = {};
          for (const band of SPECTRAL_BANDS) {
            const channel = PRESTO_CHANNELS.indexOf(PRESTO_S2_CHANNEL[band]);
            bands[band] = Float32Array.of((pixel[0]?.[channel] ?? Number.NaN) / 10000);
          }
          const inputs = buildPrestoSceneInputs(1, Float32Array.from(golden.latlon[n] ?? []), {
            bands,
            month: golden.month[n]?.[0] ?? -1,
          });
          const { maxDiff } = compare(await session.encode(inputs), [golden.embedding[n] ?? []]);
          expect(maxDiff, `pixel ${n}`).toBeLessThan(1e-4);
        }
      } finally {
        await session.release();
      }
    });

    it('gives a pixel the same embedding alone as in a batch with other mask patterns', async () => {
      const [single, , all] = readGolden();
      if (!single || !all) throw new Error('golden cases missing');
      const session = await PrestoSession.create(ort, built[0]!.bytes);
      try {
        const inputs = goldenInputs(single);
        // Drop the red-edge group of pixel 0 only: the other pixels must not change.
        const changed = { ...inputs, x: inputs.x.slice(), mask: inputs.mask.slice() };
        changed.mask.fill(1, 5, 8);
        const batch = await session.encode(changed);
        const alone = await session.encode({
          ...changed,
          count: 1,
          x: changed.x.subarray(0, 17),
          mask: changed.mask.subarray(0, 17),
          dynamicWorld: changed.dynamicWorld.subarray(0, 1),
          latlons: changed.latlons.subarray(0, 2),
          month: changed.month.subarray(0, 1),
        });
        expect(compare(batch.subarray(0, 128), [[...alone]]).maxDiff).toBeLessThan(1e-5);
        expect(compare(batch.subarray(128), single.embedding.slice(1)).maxDiff).toBeLessThan(1e-4);
        expect(compare(batch.subarray(0, 128), [single.embedding[0]!]).maxDiff).toBeGreaterThan(1e-3);
      } finally {
        await session.release();
      }
    });
  },
);
