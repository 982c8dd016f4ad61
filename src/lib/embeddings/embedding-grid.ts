import { AppError } from '../errors.ts';
import type { GeoTransform } from '../geo/index.ts';

/** Where the grid lies: pixel (col, row) of `transform` in EPSG:`epsg`. */
export interface GridGeoref {
  epsg: number;
  transform: GeoTransform;
}

/**
 * Per-pixel embeddings of one scene, laid out for tight loops: pixel p (row-major,
 * p = row * width + col) owns data[p * dim .. p * dim + dim). Vectors are expected to be
 * unit-normalised by the encoder, but analysis code never relies on exact unit length.
 */
export interface EmbeddingGrid {
  readonly width: number;
  readonly height: number;
  readonly dim: number;
  /** width * height * dim values, row-major pixels, each vector (approximately) unit length. */
  readonly data: Float32Array;
  /** width * height flags: 1 = valid pixel, 0 = nodata / cloud / outside the scene. */
  readonly valid: Uint8Array;
  /** Placement on the Earth, when known (areas, CLI outputs, change between dates). */
  readonly georef?: GridGeoref;
}

function checkSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new AppError('bad-input', `Embedding grid ${name} must be a positive integer, got ${value}.`);
  }
}

/**
 * Wraps (or allocates) the buffers of an embedding grid after checking that their sizes agree.
 * Without `data` a zero-filled buffer is allocated; without `valid` every pixel is valid.
 * The buffers are used as they are, not copied.
 */
export function createEmbeddingGrid(
  width: number,
  height: number,
  dim: number,
  data?: Float32Array,
  valid?: Uint8Array,
  georef?: GridGeoref,
): EmbeddingGrid {
  checkSize('width', width);
  checkSize('height', height);
  checkSize('dim', dim);
  const pixels = width * height;
  // Typed arrays top out at 2^32 elements in some engines; refuse before allocating.
  if (pixels * dim > 2 ** 32 - 1) {
    throw new AppError('too-large', `Embedding grid ${width}x${height}x${dim} is too large.`);
  }
  const d = data ?? new Float32Array(pixels * dim);
  if (d.length !== pixels * dim) {
    throw new AppError(
      'bad-input',
      `Embedding data has ${d.length} values; ${width}x${height} pixels of dimension ${dim} need ${pixels * dim}.`,
    );
  }
  const v = valid ?? new Uint8Array(pixels).fill(1);
  if (v.length !== pixels) {
    throw new AppError('bad-input', `Validity mask has ${v.length} entries; the grid has ${pixels} pixels.`);
  }
  return georef
    ? { width, height, dim, data: d, valid: v, georef }
    : { width, height, dim, data: d, valid: v };
}

/** Number of pixels whose validity flag is set. */
export function countValid(grid: EmbeddingGrid): number {
  const valid = grid.valid;
  let n = 0;
  for (let p = 0; p < valid.length; p++) if (valid[p] !== 0) n++;
  return n;
}

/**
 * Rescales every valid vector to unit length in place. Vectors that are all zero or contain
 * non-finite values cannot be compared meaningfully, so they are marked invalid instead.
 */
export function normalizeEmbeddings(grid: EmbeddingGrid): void {
  const { data, valid, dim } = grid;
  for (let p = 0; p < valid.length; p++) {
    if (valid[p] === 0) continue;
    const base = p * dim;
    let ss = 0;
    for (let d = 0; d < dim; d++) {
      const x = data[base + d]!;
      ss += x * x;
    }
    if (!(ss > 0) || !Number.isFinite(ss)) {
      valid[p] = 0;
      continue;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let d = 0; d < dim; d++) data[base + d] = data[base + d]! * inv;
  }
}
