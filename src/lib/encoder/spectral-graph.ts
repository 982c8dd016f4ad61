import { AppError } from '../errors.ts';
import { attr, GraphBuilder } from '../onnx/index.ts';
import { isSpectralBand, type SpectralBand, spectralManifest } from './spectral-manifest.ts';
import { LOG_FLOOR, TEXTURE_NAMES } from './spectral-texture.ts';

/**
 * The `spectral` encoder: a weight-free encoder whose ONNX graph is generated here.
 *
 * Input `reflectance` float32 [N, B + 2]: L2A surface reflectance (DN * scale + offset) for the
 * bands given, in that order, then the two texture columns of spectral-texture.ts (local std of
 * the log-brightness over 3 x 3 and 7 x 7 pixels). Features, per pixel:
 *   zlog_b  = (ln(max(r_b, 0.005)) - mu_b) / sigma_b     each band: brightness and shape kept,
 *             mu/sigma the log-normal equivalents of the Galileo per-band mean/std
 *   nd_ab   = 2 clip((a - b) / max(a + b, 1e-6), -1, 1)  every pair of bands (NDVI, NDWI, NDBI
 *             among them, named so), x 2 so the ratios weigh as much as the reflectances
 *   bias    = 1                                          a constant coordinate: under cosine
 *             similarity it makes the distance from the mean spectrum count, not only the angle
 *   tex_w   = ln(std_w + 0.02) + 2                       the two texture columns
 *   embedding = f / max(||f||_2, 1e-12)
 * The first design (z-scores of 6 features, unit-normalised) ranked land cover no better than the
 * raw bands and tied near-identical spectra at 1.0000; see the README for the measurements.
 * With the -0.1 BOA offset of processing baseline 04.00+, dark pixels (water, shadow) can have
 * zero or slightly negative reflectance: the log's floor and the ratio's floor and clip keep
 * them finite. NaN inputs (nodata) propagate: the caller masks nodata pixels.
 */

/** Floor on a + b for the normalised-difference indices (reflectance units). */
export const INDEX_EPSILON = 1e-6;
/** Floor on the L2 norm so an all-zero feature vector stays finite. */
export const NORM_EPSILON = 1e-12;
/** Weight of the normalised differences against the log z-scores. */
export const ND_WEIGHT = 2;
/** Texture feature = ln(std + TEXTURE_EPSILON) + TEXTURE_SHIFT (std 0 -> -1.9, std 1 -> 2.0). */
export const TEXTURE_EPSILON = 0.02;
export const TEXTURE_SHIFT = 2;
export const SPECTRAL_OPSET = 17;

export interface SpectralEncoder {
  bytes: Uint8Array;
  inputName: string;
  outputName: string;
  /** The reflectance bands, in input order; the texture columns follow them. */
  bands: SpectralBand[];
  /** Columns of the input: bands + texture. */
  inputWidth: number;
  featureNames: string[];
  dim: number;
}

interface SpectralPlan {
  bands: SpectralBand[];
  /** Log-normal location and scale of each band's reflectance. */
  logMean: number[];
  logStd: number[];
  /** Every pair of bands, with the column of each operand (a - b) / (a + b). */
  pairs: { id: string; a: number; b: number }[];
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
  // A log-normal with the manifest's mean m and std s: sigma^2 = ln(1 + s^2/m^2), mu = ln m - sigma^2/2.
  const logVar = checked.map((b) => Math.log(1 + (manifest.std[b] / manifest.mean[b]) ** 2));
  const pairs: SpectralPlan['pairs'] = [];
  for (let i = 0; i < checked.length; i++) {
    for (let j = i + 1; j < checked.length; j++) {
      const [bi, bj] = [checked[i]!, checked[j]!];
      const named = manifest.indices.find((x) => (x.a === bi && x.b === bj) || (x.a === bj && x.b === bi));
      if (named) pairs.push({ id: named.id, a: checked.indexOf(named.a), b: checked.indexOf(named.b) });
      else pairs.push({ id: `nd_${bi}_${bj}`, a: i, b: j });
    }
  }
  return {
    bands: checked,
    logMean: checked.map((b, i) => Math.log(manifest.mean[b]) - logVar[i]! / 2),
    logStd: logVar.map(Math.sqrt),
    pairs,
    featureNames: [...checked.map((b) => `zlog_${b}`), ...pairs.map((p) => p.id), 'bias', ...TEXTURE_NAMES],
  };
}

/** Generates the ONNX model for this band list (opset 17). */
export function buildSpectralEncoder(bands: readonly string[]): SpectralEncoder {
  const p = plan(bands);
  const manifest = spectralManifest();
  const nBands = p.bands.length;
  const nTexture = TEXTURE_NAMES.length;
  const inputWidth = nBands + nTexture;
  const dim = p.featureNames.length;
  const g = new GraphBuilder('spectral');
  const x = g.input(manifest.input.name, 'float32', ['N', inputWidth]);
  const axis1 = { axis: attr.int(1) };
  const axes = g.int64s('axes', [1]);
  const slice = (name: string, from: number, to: number) =>
    g.op('Slice', [x, g.int64s(`${name}_start`, [from]), g.int64s(`${name}_end`, [to]), axes]);
  const refl = slice('bands', 0, nBands);
  const texture = slice('texture', nBands, inputWidth);

  const logR = g.op('Log', [g.op('Max', [refl, g.floats('log_floor', [LOG_FLOOR], [])])]);
  const zlog = g.op('Div', [
    g.op('Sub', [logR, g.floats('log_mean', p.logMean, [1, nBands])]),
    g.floats('log_std', p.logStd, [1, nBands]),
  ]);

  // Every pair's operands at once: [N, K] tensors a and b, one column per pair.
  const a = g.op(
    'Gather',
    [
      refl,
      g.int64s(
        'pair_a',
        p.pairs.map((i) => i.a),
      ),
    ],
    axis1,
  );
  const b = g.op(
    'Gather',
    [
      refl,
      g.int64s(
        'pair_b',
        p.pairs.map((i) => i.b),
      ),
    ],
    axis1,
  );
  const sum = g.op('Max', [g.op('Add', [a, b]), g.floats('index_eps', [INDEX_EPSILON], [])]);
  const ratio = g.op('Div', [g.op('Sub', [a, b]), sum]);
  const clipped = g.op('Clip', [ratio, g.floats('minus_one', [-1], []), g.floats('one', [1], [])]);
  const nd = g.op('Mul', [clipped, g.floats('nd_weight', [ND_WEIGHT], [])]);

  // A column of ones shaped [N, 1] from the first band (x * 0 + 1; NaN only where the input is).
  const first = g.op('Slice', [refl, g.int64s('first_start', [0]), g.int64s('first_end', [1]), axes]);
  const ones = g.op('Add', [g.op('Mul', [first, g.floats('zero', [0], [])]), g.floats('bias', [1], [])]);

  const tex = g.op('Add', [
    g.op('Log', [g.op('Add', [texture, g.floats('texture_eps', [TEXTURE_EPSILON], [])])]),
    g.floats('texture_shift', [TEXTURE_SHIFT], []),
  ]);
  const features = g.op('Concat', [zlog, nd, ones, tex], axis1);

  // ReduceSum takes axes as an input from opset 13 on, which also holds for opset 18+.
  const sumSq = g.op('ReduceSum', [g.op('Mul', [features, features]), axes], { keepdims: attr.int(1) });
  const norm = g.op('Max', [g.op('Sqrt', [sumSq]), g.floats('norm_eps', [NORM_EPSILON], [])]);
  g.node('Div', [features, norm], [manifest.output.name]);
  g.output(manifest.output.name, 'float32', ['N', dim]);

  const bytes = g.toModel({
    opset: SPECTRAL_OPSET,
    producer: 'earth-embedding-explorer',
    docString:
      'Spectral encoder v2: log z-scored reflectances, normalised differences of every band pair, a constant coordinate and local texture, unit-normalised.',
    metadata: {
      encoder: 'spectral',
      version: '2',
      bands: p.bands.join(','),
      features: p.featureNames.join(','),
    },
  });
  return {
    bytes,
    inputName: manifest.input.name,
    outputName: manifest.output.name,
    bands: p.bands,
    inputWidth,
    featureNames: p.featureNames,
    dim,
  };
}

/**
 * Plain-TS reference of the graph for one pixel (float64): the embedding the model returns for
 * `reflectances` (one per band, in `bands` order) and its `texture` columns. For tests.
 */
export function spectralFeatures(
  reflectances: readonly number[],
  bands: readonly string[],
  texture: readonly number[],
): number[] {
  const p = plan(bands);
  if (reflectances.length !== p.bands.length || texture.length !== TEXTURE_NAMES.length) {
    throw new AppError(
      'bad-input',
      `Expected ${p.bands.length} reflectances and ${TEXTURE_NAMES.length} texture values; got ${reflectances.length} and ${texture.length}.`,
    );
  }
  const r = (i: number): number => reflectances[i] ?? Number.NaN;
  const f = p.bands.map((_, i) => (Math.log(Math.max(r(i), LOG_FLOOR)) - p.logMean[i]!) / p.logStd[i]!);
  for (const pair of p.pairs) {
    const a = r(pair.a);
    const b = r(pair.b);
    f.push(ND_WEIGHT * Math.min(1, Math.max(-1, (a - b) / Math.max(a + b, INDEX_EPSILON))));
  }
  f.push(1);
  for (const t of texture) f.push(Math.log(t + TEXTURE_EPSILON) + TEXTURE_SHIFT);
  const norm = Math.max(Math.sqrt(f.reduce((s, v) => s + v * v, 0)), NORM_EPSILON);
  return f.map((v) => v / norm);
}
