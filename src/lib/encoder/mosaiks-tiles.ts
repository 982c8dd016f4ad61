import { createEmbeddingGrid, type EmbeddingGrid } from '../embeddings/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import type { Scene } from '../scene/index.ts';
import {
  countValidInWindow,
  type MosaiksInput,
  readNormalisedWindow,
  validSummedArea,
} from './mosaiks-input.ts';
import type { PatchGeometry } from './mosaiks-params.ts';

/** Embeddings of one tile: dim x rows x cols values, channel-major as the ONNX graph returns them. */
export interface PatchTile {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Anything that turns one tile of z-scored pixels (bands x height x width, band-major, halo
 * included) into its patch embeddings: MosaiksSession on onnxruntime, the plain-TS reference,
 * or a worker proxy of either.
 */
export interface PatchEncoder {
  encodeTile(image: Float32Array, bands: number, height: number, width: number): Promise<PatchTile>;
}

export interface PatchProgress {
  patchesDone: number;
  patchesTotal: number;
  elapsedMs: number;
}

export interface PatchEncodeOptions {
  /** Bands, validity and z-score statistics (mosaiksInput); the filters were sampled from it. */
  input: MosaiksInput;
  geometry: PatchGeometry;
  /** Embedding dimension (2K). */
  dim: number;
  /** A patch is valid when at least this share of its pool x pool pixels is valid. */
  minValidFraction: number;
  /** Patches per tile side; default keeps each tile's feature maps near 16 MB. */
  tilePatches?: number;
  signal?: AbortSignal;
  onProgress?: (progress: PatchProgress) => void;
  /** Called once with the still empty grid before the first tile, to show it as it fills. */
  onStart?: (result: PatchEncodeResult) => void;
  /** Allocate the grid in a SharedArrayBuffer so workers read it without copies. */
  shared?: boolean;
}

export interface PatchEncodeResult {
  /** One unit-length embedding per patch, georeferenced on `grid`. */
  embeddings: EmbeddingGrid;
  /** The patch grid: the scene's origin and CRS, pixels `stride` times larger. */
  grid: GridSpec;
}

/** Feature-map values (one conv output channel) a default tile holds: 4 Mi floats, 16 MB. */
const TILE_RESPONSE_VALUES = 2 ** 22;

/**
 * The patch grid of a scene grid: ceil(width / S) x ceil(height / S) patches, same origin and
 * CRS, pixel size S times the scene's. Patch (r, c) stands for the scene's S x S pixel block
 * at rows r*S.., cols c*S.. (the last row and column may hang over the scene's edge, as in
 * downsampleScene), and its pooling window is centred on that block, so its georeference is
 * exactly that of the block.
 */
export function patchGridSpec(grid: GridSpec, stride: number): GridSpec {
  const { transform } = grid;
  return {
    width: Math.ceil(grid.width / stride),
    height: Math.ceil(grid.height / stride),
    epsg: grid.epsg,
    transform: { ...transform, resX: transform.resX * stride, resY: transform.resY * stride },
  };
}

/**
 * Where a patch's pooling window starts, in scene pixels, relative to its block: the window of
 * P pixels is centred on the block of S (pool - stride is even, see resolveMosaiksParams).
 */
function poolOffset(geometry: PatchGeometry): number {
  return (geometry.pool - geometry.stride) / 2;
}

/** Flags the patches with enough valid pixels under their pooling window. */
function patchValidity(
  input: MosaiksInput,
  grid: GridSpec,
  geometry: PatchGeometry,
  fraction: number,
): Uint8Array {
  const table = validSummedArea(input);
  const { pool, stride } = geometry;
  const a = poolOffset(geometry);
  const needed = fraction * pool * pool;
  const valid = new Uint8Array(grid.width * grid.height);
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const count = countValidInWindow(table, input, r * stride - a, c * stride - a, pool, pool);
      valid[r * grid.width + c] = count > 0 && count >= needed ? 1 : 0;
    }
  }
  return valid;
}

/**
 * Copies a channel-major tile into the pixel-major grid, scales each eligible patch to unit
 * length and only then flags it valid, so a grid read mid-run shows finished patches only.
 */
function storeTile(
  grid: EmbeddingGrid,
  eligible: Uint8Array,
  tile: PatchTile,
  row0: number,
  col0: number,
): void {
  const { data, valid, dim, width } = grid;
  const plane = tile.rows * tile.cols;
  for (let i = 0; i < tile.rows; i++) {
    for (let j = 0; j < tile.cols; j++) {
      const p = (row0 + i) * width + col0 + j;
      if (!eligible[p]) continue;
      const base = p * dim;
      let ss = 0;
      for (let d = 0; d < dim; d++) {
        const x = tile.data[d * plane + i * tile.cols + j]!;
        data[base + d] = x;
        ss += x * x;
      }
      // All-zero (every response within +/- bias) or non-finite vectors have no direction.
      if (!(ss > 0) || !Number.isFinite(ss)) {
        data.fill(0, base, base + dim);
        continue;
      }
      const inv = 1 / Math.sqrt(ss);
      for (let d = 0; d < dim; d++) data[base + d] = data[base + d]! * inv;
      valid[p] = 1;
    }
  }
}

function checkOptions(scene: Scene, options: PatchEncodeOptions): void {
  const { input, dim, minValidFraction } = options;
  if (input.width !== scene.grid.width || input.height !== scene.grid.height) {
    throw new AppError('bad-input', 'The MOSAIKS input was prepared from a different scene grid.');
  }
  if (!Number.isInteger(dim) || dim < 2) {
    throw new AppError(
      'bad-input',
      `The MOSAIKS embedding dimension must be a whole number >= 2; got ${dim}.`,
    );
  }
  if (!(minValidFraction > 0 && minValidFraction <= 1)) {
    throw new AppError(
      'bad-input',
      `The MOSAIKS minimum valid fraction (min_valid_fraction) must be above 0 and at most 1; got ${minValidFraction}.`,
    );
  }
  const tile = options.tilePatches;
  if (tile !== undefined && (!Number.isInteger(tile) || tile < 1)) {
    throw new AppError(
      'bad-input',
      `The MOSAIKS tile size (tilePatches) must be a whole number >= 1; got ${tile}.`,
    );
  }
}

/**
 * Encodes a scene tile by tile on one global patch grid. Each tile's input is the z-scored
 * window its patches' pooling windows need plus the filters' halo of (k - 1) / 2 pixels, read
 * from the whole scene, so tiles join without seams. Tiles without a single valid patch are
 * skipped. Progress counts patches of the grid; cancellation takes effect between tiles. A
 * patch is flagged valid once its embedding is written, so the grid can be shown as it fills.
 */
export async function encodeSceneByPatches(
  scene: Scene,
  encoder: PatchEncoder,
  options: PatchEncodeOptions,
): Promise<PatchEncodeResult> {
  checkOptions(scene, options);
  const { input, geometry, dim, signal } = options;
  const { kernel, pool, stride } = geometry;
  const grid = patchGridSpec(scene.grid, stride);
  const eligible = patchValidity(input, grid, geometry, options.minValidFraction);
  const bytes = grid.width * grid.height * dim * 4;
  const buffer =
    options.shared && typeof SharedArrayBuffer === 'function'
      ? new SharedArrayBuffer(bytes)
      : new ArrayBuffer(bytes);
  const valid = new Uint8Array(eligible.length);
  const embeddings = createEmbeddingGrid(grid.width, grid.height, dim, new Float32Array(buffer), valid, {
    epsg: grid.epsg,
    transform: grid.transform,
  });
  const side =
    options.tilePatches ?? Math.max(1, Math.floor(Math.sqrt(TILE_RESPONSE_VALUES / (dim / 2)) / stride));
  const start = poolOffset(geometry) + (kernel - 1) / 2;
  const total = grid.width * grid.height;
  options.onStart?.({ embeddings, grid });
  const started = performance.now();
  let done = 0;
  options.onProgress?.({ patchesDone: 0, patchesTotal: total, elapsedMs: 0 });
  for (let row0 = 0; row0 < grid.height; row0 += side) {
    for (let col0 = 0; col0 < grid.width; col0 += side) {
      throwIfAborted(signal, 'Computing embeddings');
      const rows = Math.min(side, grid.height - row0);
      const cols = Math.min(side, grid.width - col0);
      if (anyValid(eligible, grid.width, row0, col0, rows, cols)) {
        const height = (rows - 1) * stride + pool + kernel - 1;
        const width = (cols - 1) * stride + pool + kernel - 1;
        const image = readNormalisedWindow(
          input,
          row0 * stride - start,
          col0 * stride - start,
          height,
          width,
        );
        const tile = await encoder.encodeTile(image, input.columns.length, height, width);
        if (tile.rows !== rows || tile.cols !== cols || tile.data.length !== dim * rows * cols) {
          throw new AppError(
            'model',
            `The patch encoder returned ${tile.rows} x ${tile.cols} patches of ${tile.data.length} values for a tile of ${rows} x ${cols} patches of dimension ${dim}.`,
          );
        }
        storeTile(embeddings, eligible, tile, row0, col0);
      }
      done += rows * cols;
      options.onProgress?.({
        patchesDone: done,
        patchesTotal: total,
        elapsedMs: performance.now() - started,
      });
    }
  }
  throwIfAborted(signal, 'Computing embeddings');
  return { embeddings, grid };
}

function anyValid(
  valid: Uint8Array,
  width: number,
  row0: number,
  col0: number,
  rows: number,
  cols: number,
): boolean {
  for (let r = row0; r < row0 + rows; r++) {
    for (let c = col0; c < col0 + cols; c++) if (valid[r * width + c]) return true;
  }
  return false;
}
