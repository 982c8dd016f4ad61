import { AppError } from '../errors.ts';
import { attr, GraphBuilder } from '../onnx/index.ts';
import { mosaiksManifest } from './mosaiks-manifest.ts';
import type { PatchGeometry } from './mosaiks-params.ts';

/**
 * The `mosaiks` encoder's ONNX graph (random convolutional features, Rolf et al. 2021):
 *
 *   image   float32 [1, B, H, W]   z-scored reflectance of one tile with its halo (H, W symbolic)
 *   filters float32 [K, B, k, k]   sampled from the scene (mosaiks-filters.ts)
 *   bias    float32 [K]
 *   r          = Conv(image, filters)          valid, stride 1: [1, K, H-k+1, W-k+1]
 *   features   = Concat(ReLU(r - bias), ReLU(-r - bias))   on channels: [1, 2K, ...]
 *   embedding  = AveragePool(features, pool x pool, stride)   [1, 2K, Hp, Wp]
 *
 * The filters and bias are inputs, not initializers, so one graph serves every scene, band set
 * and filter count; only pool and stride are attributes (AveragePool has no tensor form).
 * Input normalisation, invalid pixels and unit length are handled in TypeScript around it
 * (mosaiks-input.ts, mosaiks-tiles.ts): the graph stays the plain feature map of the paper.
 */

export const MOSAIKS_OPSET = 17;

export interface MosaiksGraph {
  bytes: Uint8Array;
  imageName: string;
  filtersName: string;
  biasName: string;
  outputName: string;
  pool: number;
  stride: number;
}

/** Generates the graph for this pooling window and stride (opset 17). */
export function buildMosaiksGraph(geometry: Pick<PatchGeometry, 'pool' | 'stride'>): MosaiksGraph {
  const { pool, stride } = geometry;
  for (const [label, value] of [
    ['pooling window (pool)', pool],
    ['stride (stride)', stride],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new AppError('bad-input', `The MOSAIKS ${label} must be a whole number >= 1; got ${value}.`);
    }
  }
  const manifest = mosaiksManifest();
  const g = new GraphBuilder('mosaiks');
  const image = g.input(manifest.inputs.image.name, 'float32', [1, 'B', 'H', 'W']);
  const filters = g.input(manifest.inputs.filters.name, 'float32', ['K', 'B', 'k', 'k']);
  const bias = g.input(manifest.inputs.bias.name, 'float32', ['K']);

  const response = g.op('Conv', [image, filters], { strides: attr.ints([1, 1]) });
  const channelBias = g.op('Reshape', [bias, g.int64s('bias_shape', [1, -1, 1, 1])]);
  const positive = g.op('Relu', [g.op('Sub', [response, channelBias])]);
  const negative = g.op('Relu', [g.op('Sub', [g.op('Neg', [response]), channelBias])]);
  const features = g.op('Concat', [positive, negative], { axis: attr.int(1) });
  g.node('AveragePool', [features], [manifest.output.name], {
    kernel_shape: attr.ints([pool, pool]),
    strides: attr.ints([stride, stride]),
  });
  g.output(manifest.output.name, 'float32', [1, '2K', 'Hp', 'Wp']);

  const bytes = g.toModel({
    opset: MOSAIKS_OPSET,
    producer: 'earth-embedding-explorer',
    docString:
      'MOSAIKS random convolutional features: Conv with input filters, ReLU(+/-r - bias), average pooling.',
    metadata: { encoder: 'mosaiks', pool: String(pool), stride: String(stride) },
  });
  return {
    bytes,
    imageName: manifest.inputs.image.name,
    filtersName: manifest.inputs.filters.name,
    biasName: manifest.inputs.bias.name,
    outputName: manifest.output.name,
    pool,
    stride,
  };
}
