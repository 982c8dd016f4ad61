import { AppError } from '../errors.ts';
import { type MosaiksManifest, type MosaiksNumericParameter, mosaiksManifest } from './mosaiks-manifest.ts';

/** Every MOSAIKS setting, resolved and checked (see models/mosaiks/manifest.json). */
export interface MosaiksParams {
  /** K: the number of filters; the embedding has 2K dimensions. */
  filters: number;
  /** k: filter side in pixels, odd. */
  kernel: number;
  /** P: side of the averaging window in pixels. */
  pool: number;
  /** S: patch spacing in pixels; output pixels are S times the scene's. */
  stride: number;
  seed: number;
  bias: number;
  minValidFraction: number;
  whiten: boolean;
}

/** The geometry of the convolution and pooling: all the tiling needs to know. */
export type PatchGeometry = Pick<MosaiksParams, 'kernel' | 'pool' | 'stride'>;

/** What a caller may set; anything left out takes the manifest's default. */
export type MosaiksRequest = Partial<MosaiksParams>;

const LABELS: Record<MosaiksNumericParameter, string> = {
  filters: 'number of filters (filters)',
  kernel: 'kernel size (kernel)',
  pool: 'pooling window (pool)',
  stride: 'stride (stride)',
  seed: 'seed (seed)',
  bias: 'bias (bias)',
  min_valid_fraction: 'minimum valid fraction (min_valid_fraction)',
};

function checked(manifest: MosaiksManifest, key: MosaiksNumericParameter, value: number | undefined): number {
  const p = manifest.parameters[key];
  const v = value ?? p.default;
  const whole = key !== 'bias' && key !== 'min_valid_fraction';
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    (whole && !Number.isInteger(v)) ||
    v < p.min ||
    v > p.max
  ) {
    const kind = whole ? 'a whole number' : 'a number';
    throw new AppError(
      'bad-input',
      `The MOSAIKS ${LABELS[key]} must be ${kind} from ${p.min} to ${p.max}; got ${String(v)}.`,
    );
  }
  return v;
}

/**
 * Fills in defaults and checks every setting against the manifest's ranges; each refusal is an
 * AppError('bad-input') naming the parameter and its allowed range. A stride given without a
 * pool also sets the pool (non-overlapping patches, as in the paper's default).
 */
export function resolveMosaiksParams(
  request: MosaiksRequest = {},
  manifest: MosaiksManifest = mosaiksManifest(),
): MosaiksParams {
  const stride = checked(manifest, 'stride', request.stride);
  const pool = checked(manifest, 'pool', request.pool ?? (request.stride === undefined ? undefined : stride));
  const kernel = checked(manifest, 'kernel', request.kernel);
  if (kernel % 2 === 0) {
    throw new AppError(
      'bad-input',
      `The MOSAIKS kernel size (kernel) must be odd (1, 3, 5, 7); got ${kernel}.`,
    );
  }
  if ((pool - stride) % 2 !== 0) {
    throw new AppError(
      'bad-input',
      `The MOSAIKS pooling window (pool) must differ from the stride by an even number of pixels, so that it is centred on its patch; got pool ${pool} with stride ${stride} (try pool ${stride} or ${stride + 2}).`,
    );
  }
  const whiten = request.whiten ?? manifest.parameters.whiten.default;
  if (typeof whiten !== 'boolean') {
    throw new AppError(
      'bad-input',
      `The MOSAIKS whitening switch (whiten) must be true or false; got ${String(whiten)}.`,
    );
  }
  return {
    filters: checked(manifest, 'filters', request.filters),
    kernel,
    pool,
    stride,
    seed: checked(manifest, 'seed', request.seed),
    bias: checked(manifest, 'bias', request.bias),
    minValidFraction: checked(manifest, 'min_valid_fraction', request.minValidFraction),
    whiten,
  };
}

/** Embedding dimension: one ReLU per sign per filter. */
export function mosaiksDim(params: Pick<MosaiksParams, 'filters'>): number {
  return 2 * params.filters;
}

/** Band names for exports, in output order: the K positive responses, then the K negative ones. */
export function mosaiksFeatureNames(params: Pick<MosaiksParams, 'filters'>): string[] {
  const K = params.filters;
  return [
    ...Array.from({ length: K }, (_, i) => `mosaiks_pos_${i}`),
    ...Array.from({ length: K }, (_, i) => `mosaiks_neg_${i}`),
  ];
}
