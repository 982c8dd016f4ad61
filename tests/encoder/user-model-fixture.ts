import { createHash } from 'node:crypto';
import { GraphBuilder } from '../../src/lib/onnx/index.ts';

/** The weights of the fixture's linear layer: channel c feeds feature f with W[c][f]. */
export const USER_MODEL_WEIGHTS = [
  [1, 0, 0.5, 0, 0, 2],
  [0, 1, 0.5, 0, 1, 0],
  [0, 0, 0, 1, -1, 0],
  [0, 0, 0, 0, 3, 1],
];
export const USER_MODEL_CHANNELS = ['B4', 'B8', 'swir16', 'NDVI'];

/**
 * A user's own per-pixel model as a real ONNX file with its manifest: features = x W, where
 * x is [red, nir, swir16] as digital numbers (reflectance x 10000) and NDVI.
 */
export function userModelFixture(id = 'my-linear'): {
  manifest: Record<string, unknown>;
  onnx: Uint8Array;
  file: string;
} {
  const g = new GraphBuilder(id);
  const x = g.input('bands', 'float32', ['N', 4]);
  const w = g.floats('w', USER_MODEL_WEIGHTS.flat(), [4, 6]);
  g.node('MatMul', [x, w], ['features']);
  g.output('features', 'float32', ['N', 6]);
  const onnx = g.toModel({ opset: 17 });
  const file = `${id}.onnx`;
  const manifest = {
    id,
    name: 'My linear model',
    description: 'A test model: one linear layer over three bands and NDVI.',
    kind: 'pixel',
    inputs: [
      {
        name: 'bands',
        dtype: 'float32',
        shape: ['N', 4],
        description: 'red, nir and swir16 as DN, then NDVI',
        channels: USER_MODEL_CHANNELS,
        reflectance_scale: 10000,
      },
    ],
    time_steps: { min: 1, max: 1 },
    normalisation: { applied: 'inside the graph', channels: { all: 'none' }, masked_values: 'not used' },
    output: { name: 'features', dim: 6, resolution_m: 10 },
    variants: [
      { dtype: 'fp32', file, bytes: onnx.length, sha256: createHash('sha256').update(onnx).digest('hex') },
    ],
    licence: 'CC0',
    citation: 'A test fixture.',
    upstream: { url: 'https://example.org/my-linear' },
  };
  return { manifest, onnx, file };
}
