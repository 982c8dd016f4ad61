import { AppError } from '../errors.ts';
import { attr, GraphBuilder } from '../onnx/graph-builder.ts';
import { isSpectralBand, type SpectralBand, spectralManifest } from './spectral-manifest.ts';

/**
 * The `spectral` encoder: a weight-free baseline whose ONNX graph is generated here.
 *
 * Input `reflectance` float32 [N, B]: L2A surface reflectance (DN * scale + offset) for the
 * bands given, in that order. Features, per pixel:
 *   z_b   = (r_b - mean_b) / std_b             for each band, in input order
 *   index = clip((a - b) / max(a + b, 1e-6), -1, 1)   NDVI (nir, red), NDWI (green, nir),
 *                                                     NDBI (swir16, nir) when both bands exist
 *   embedding = f / max(||f||_2, 1e-12)
 * With the -0.1 BOA offset of processing baseline 04.00+, dark pixels (water, shadow) can
 * have zero or slightly negative reflectance; a + b <= 0 would make the plain ratio infinite
 * or NaN, so the denominator is floored at 1e-6 and the result clipped to the index's range.
 * NaN inputs (nodata) propagate: the caller masks nodata pixels.
 */

/** Floor on a + b for the normalised-difference indices (reflectance units). */
export const INDEX_EPSILON = 1e-6;
/** Floor on the L2 norm so an all-zero feature vector stays finite. */
export const NORM_EPSILON = 1e-12;
export const SPECTRAL_OPSET = 17;

export interface SpectralEncoder {
  bytes: Uint8Array;
  inputName: string;
  outputName: string;
  bands: SpectralBand[];
  featureNames: string[];
  dim: number;
}

interface SpectralPlan {
  bands: SpectralBand[];
  mean: number[];
  std: number[];
  /** Indices computable from these bands, with the column of each operand. */
  indices: { id: string; a: number; b: number }[];
  featureNames: string[];
}

/** Validates a band list and works out the features; throws AppError('bad-input'). */
function plan(bands: readonly string[]): SpectralPlan {
  const manifest = spectralManifest();
  const supported = manifest.input.bands;
  const checked: SpectralBand[] = [];
  for (const band of bands) {
    if (!isSpectralBand(band) || !supported.includes(band)) {
      throw new AppError(
        'bad-input',
        `The spectral encoder does not support band "${band}"; it takes ${supported.join(', ')}.`,
      );
    }
    if (checked.includes(band)) throw new AppError('bad-input', `Band "${band}" is listed twice.`);
    checked.push(band);
  }
  if (checked.length < manifest.input.minBands) {
    throw new AppError(
      'bad-input',
      `The spectral encoder needs at least ${manifest.input.minBands} bands; got ${checked.length}.`,
    );
  }
  const indices = manifest.indices.flatMap((index) => {
    const a = checked.indexOf(index.a);
    const b = checked.indexOf(index.b);
    return a >= 0 && b >= 0 ? [{ id: index.id, a, b }] : [];
  });
  return {
    bands: checked,
    mean: checked.map((b) => manifest.mean[b]),
    std: checked.map((b) => manifest.std[b]),
    indices,
    featureNames: [...checked.map((b) => `z_${b}`), ...indices.map((i) => i.id)],
  };
}

/** Generates the ONNX model for this band list (opset 17). */
export function buildSpectralEncoder(bands: readonly string[]): SpectralEncoder {
  const p = plan(bands);
  const manifest = spectralManifest();
  const nBands = p.bands.length;
  const dim = p.featureNames.length;
  const g = new GraphBuilder('spectral');
  const x = g.input(manifest.input.name, 'float32', ['N', nBands]);

  const centred = g.op('Sub', [x, g.floats('mean', p.mean, [1, nBands])]);
  const z = g.op('Div', [centred, g.floats('std', p.std, [1, nBands])]);

  let features = z;
  if (p.indices.length > 0) {
    // Gather every index's operands at once: [N, K] tensors a and b, one column per index.
    const axis1 = { axis: attr.int(1) };
    const a = g.op(
      'Gather',
      [
        x,
        g.int64s(
          'index_a',
          p.indices.map((i) => i.a),
        ),
      ],
      axis1,
    );
    const b = g.op(
      'Gather',
      [
        x,
        g.int64s(
          'index_b',
          p.indices.map((i) => i.b),
        ),
      ],
      axis1,
    );
    const sum = g.op('Max', [g.op('Add', [a, b]), g.floats('index_eps', [INDEX_EPSILON], [])]);
    const ratio = g.op('Div', [g.op('Sub', [a, b]), sum]);
    const clipped = g.op('Clip', [ratio, g.floats('minus_one', [-1], []), g.floats('one', [1], [])]);
    features = g.op('Concat', [z, clipped], axis1);
  }

  // ReduceSum takes axes as an input from opset 13 on, which also holds for opset 18+.
  const sumSq = g.op('ReduceSum', [g.op('Mul', [features, features]), g.int64s('axes', [1])], {
    keepdims: attr.int(1),
  });
  const norm = g.op('Max', [g.op('Sqrt', [sumSq]), g.floats('norm_eps', [NORM_EPSILON], [])]);
  g.node('Div', [features, norm], [manifest.output.name]);
  g.output(manifest.output.name, 'float32', ['N', dim]);

  const bytes = g.toModel({
    opset: SPECTRAL_OPSET,
    producer: 'earth-embedding-explorer',
    docString: 'Spectral encoder: per-band z-scores and normalised-difference indices, unit-normalised.',
    metadata: { encoder: 'spectral', bands: p.bands.join(','), features: p.featureNames.join(',') },
  });
  return {
    bytes,
    inputName: manifest.input.name,
    outputName: manifest.output.name,
    bands: p.bands,
    featureNames: p.featureNames,
    dim,
  };
}

/**
 * Plain-TS reference of the graph for one pixel (float64): the embedding the model returns for
 * `reflectances` (one per band, in `bands` order). For documentation and tests.
 */
export function spectralFeatures(reflectances: readonly number[], bands: readonly string[]): number[] {
  const p = plan(bands);
  if (reflectances.length !== p.bands.length) {
    throw new AppError('bad-input', `Expected ${p.bands.length} reflectances; got ${reflectances.length}.`);
  }
  const r = (i: number): number => reflectances[i] ?? Number.NaN;
  const f = p.bands.map((_, i) => (r(i) - (p.mean[i] ?? 0)) / (p.std[i] ?? 1));
  for (const index of p.indices) {
    const a = r(index.a);
    const b = r(index.b);
    f.push(Math.min(1, Math.max(-1, (a - b) / Math.max(a + b, INDEX_EPSILON))));
  }
  const norm = Math.max(Math.sqrt(f.reduce((s, v) => s + v * v, 0)), NORM_EPSILON);
  return f.map((v) => v / norm);
}
