import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import rawPresto from '../../models/presto/manifest.json';
import { ManifestEncoder } from '../../src/lib/encoder/manifest-encoder.ts';
import { fillChannels, planChannels } from '../../src/lib/encoder/model-channels.ts';
import { parseModelManifest } from '../../src/lib/encoder/model-manifest.ts';
import { modelFromFiles, postedOption, revivedOption } from '../../src/lib/encoder/model-options.ts';
import { runnerFor } from '../../src/lib/encoder/model-runner.ts';
import { USER_MODEL_WEIGHTS, userModelFixture } from './user-model-fixture.ts';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
/** onnxruntime-node has one CPU provider for both roles. */
const NODE = { wasm: 'cpu', webgpu: 'cpu' };
const GRID = { width: 4, height: 1, epsg: 32632, transform: { originX: 0, originY: 0, resX: 10, resY: -10 } };

function expected(red: number, nir: number, swir: number): number[] {
  const x = [red * 10000, nir * 10000, swir * 10000, (nir - red) / (nir + red)];
  return USER_MODEL_WEIGHTS[0]!.map((_, f) => x.reduce((s, v, c) => s + v * USER_MODEL_WEIGHTS[c]![f]!, 0));
}

describe('a user model from picked files', () => {
  it('is validated, checked against its SHA-256 and offered with its runner', async () => {
    const { manifest, onnx, file } = userModelFixture();
    const option = await modelFromFiles([
      { name: 'manifest.json', bytes: json(manifest) },
      { name: file, bytes: onnx },
    ]);
    expect(option.id).toBe('my-linear');
    expect(option.runner.kind).toBe('bands');
    if (option.runner.kind !== 'bands') return;
    expect(option.runner.bands).toEqual(['red', 'nir', 'swir16']);
    expect(option.runner.dim).toBe(6);
  });

  it('is posted to the encoder worker without its runner, which the worker makes again', async () => {
    const { manifest, onnx, file } = userModelFixture();
    const option = await modelFromFiles([
      { name: 'manifest.json', bytes: json(manifest) },
      { name: file, bytes: onnx },
    ]);
    // The runner holds functions: posting the option itself fails as postMessage does.
    expect(() => structuredClone(option)).toThrow(/could not be cloned/);
    const revived = revivedOption(structuredClone(postedOption(option)));
    expect(revived).toMatchObject({ origin: 'files', family: option.family, id: 'my-linear' });
    if (revived.origin === 'generated') return;
    expect(revived.runner.kind).toBe('bands');
    expect(revived.runner.dim).toBe(6);
  });

  it('refuses a file whose bytes differ from the manifest, naming the file', async () => {
    const { manifest, onnx, file } = userModelFixture();
    const tampered = onnx.slice();
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    await expect(
      modelFromFiles([
        { name: 'm.json', bytes: json(manifest) },
        { name: file, bytes: tampered },
      ]),
    ).rejects.toThrow(`The model file ${file} is not the expected one (SHA-256`);
  });

  it('names the bad field of an invalid manifest', async () => {
    const { manifest, onnx, file } = userModelFixture();
    const broken = { ...manifest, output: { name: 'features', dim: -6, resolution_m: 10 } };
    await expect(
      modelFromFiles([
        { name: 'm.json', bytes: json(broken) },
        { name: file, bytes: onnx },
      ]),
    ).rejects.toThrow(/The manifest m\.json is invalid: output\.dim:/);
    const noScale = structuredClone(manifest) as { inputs: { reflectance_scale?: number }[] };
    delete noScale.inputs[0]!.reflectance_scale;
    await expect(modelFromFiles([{ name: 'm.json', bytes: json(noScale) }])).rejects.toThrow(
      'inputs[0].reflectance_scale',
    );
  });

  it('says what is missing or extra among the picked files', async () => {
    const { manifest, onnx } = userModelFixture();
    await expect(modelFromFiles([{ name: 'm.json', bytes: json(manifest) }])).rejects.toThrow(
      'Pick the model',
    );
    await expect(
      modelFromFiles([
        { name: 'm.json', bytes: json(manifest) },
        { name: 'other.onnx', bytes: onnx },
      ]),
    ).rejects.toThrow('The file other.onnx is not one of the manifest');
    await expect(modelFromFiles([{ name: 'model.onnx', bytes: onnx }])).rejects.toThrow(
      'exactly one manifest',
    );
    await expect(
      modelFromFiles([{ name: 'm.json', bytes: new TextEncoder().encode('{nope') }]),
    ).rejects.toThrow('m.json is not JSON');
  });
});

describe('band-input runners', () => {
  it('maps channel names to bands and indices, and refuses what the app cannot provide', () => {
    expect(planChannels(['B2', 'B08', 'nir08', 'ndvi'], 'c')).toEqual([
      { kind: 'band', band: 'blue' },
      { kind: 'band', band: 'nir' },
      { kind: 'band', band: 'nir08' },
      { kind: 'index', name: 'NDVI', a: 'nir', b: 'red' },
    ]);
    expect(() => planChannels(['B4', 'VV'], 'inputs[0].channels')).toThrow(
      'inputs[0].channels[1]: the app cannot provide the channel "VV"',
    );
  });

  it('fills channels from interleaved bands, zero for non-finite values', () => {
    const plan = planChannels(['B4', 'NDVI'], 'c');
    const out = fillChannels(new Float32Array([0.1, 0.3, Number.NaN, 0.2]), 2, ['red', 'nir'], plan, 10000);
    expect(out[0]).toBeCloseTo(1000, 3);
    expect(out[1]).toBeCloseTo(0.5, 6);
    expect([out[2], out[3]]).toEqual([0, 0]);
  });

  it('recognises the Presto layout', () => {
    expect(runnerFor(parseModelManifest(rawPresto)).kind).toBe('presto');
  });
});

describe('ManifestEncoder', () => {
  const { manifest, onnx } = userModelFixture();
  const runner = runnerFor(parseModelManifest(manifest));
  const ctx = { bands: ['red', 'nir', 'swir16'], grid: GRID, months: [0] };
  const pixels = () => new Float32Array([0.05, 0.3, 0.2, 0.1, 0.1, 0.15]);

  it('computes the model on onnxruntime-node', async () => {
    const encoder = await ManifestEncoder.open(ort, onnx, runner, ctx, { ep: 'wasm', providers: NODE });
    try {
      const { embeddings, backendChange } = await encoder.encode(pixels(), 2, new Uint32Array([0, 1]));
      expect(backendChange).toBeUndefined();
      const want = [...expected(0.05, 0.3, 0.2), ...expected(0.1, 0.1, 0.15)];
      want.forEach((v, i) => {
        expect(embeddings[i]).toBeCloseTo(v, 1);
      });
    } finally {
      await encoder.release();
    }
  });

  it('finishes on WASM when the WebGPU session fails mid-run, redoing the batch', async () => {
    // The "GPU" session is a real ORT session that dies after its first batch, as a lost device does.
    let gpuRuns = 0;
    const encoder = await ManifestEncoder.open(ort, onnx, runner, ctx, {
      ep: 'webgpu',
      providers: NODE,
      opener: async (o, bytes) => {
        const session = await ort.InferenceSession.create(bytes);
        return {
          async encode(p, count) {
            gpuRuns++;
            if (gpuRuns > 1) await session.release();
            const input = new o.Tensor('float32', p.length === count * 4 ? p : new Float32Array(count * 4), [
              count,
              4,
            ]);
            const out = await session.run({ bands: input });
            return out.features!.data as Float32Array;
          },
          release: async () => undefined,
        };
      },
    });
    try {
      expect(encoder.executionProvider).toBe('webgpu');
      const first = await encoder.encode(pixels(), 2, new Uint32Array([0, 1]));
      expect(first.backendChange).toBeUndefined();
      const second = await encoder.encode(pixels(), 2, new Uint32Array([0, 1]));
      expect(second.backendChange?.backend).toBe('wasm');
      expect(second.backendChange?.reason).toMatch(/^WebGPU failed \(.+\); finishing on WASM/);
      expect(encoder.executionProvider).toBe('wasm');
      const want = [...expected(0.05, 0.3, 0.2), ...expected(0.1, 0.1, 0.15)];
      want.forEach((v, i) => {
        expect(second.embeddings[i]).toBeCloseTo(v, 1);
      });
      const third = await encoder.encode(pixels(), 2, new Uint32Array([0, 1]));
      expect(third.backendChange).toBeUndefined();
    } finally {
      await encoder.release();
    }
  });
});
