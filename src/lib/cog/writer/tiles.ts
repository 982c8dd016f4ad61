/** Cuts a raster level into padded tiles, applies the TIFF predictor and deflates each tile. */
import { zlibSync } from 'fflate';
import { AppError } from '../../errors.ts';
import { allocLike, type CogData } from './cog-data.ts';
import type { RasterLevel } from './overviews.ts';

// Tile bytes are the typed arrays' own memory, which TIFF "II" files need little-endian.
// Every browser and Node platform in practice is; a big-endian host would write garbage.
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Predictor 2: each sample minus its left neighbour, per row (typed arrays wrap modulo 2^n). */
function horizontalDifference(tile: Exclude<CogData, Float32Array>, size: number): void {
  for (let row = 0; row < size; row++) {
    const start = row * size;
    for (let i = start + size - 1; i > start; i--) tile[i] = (tile[i] ?? 0) - (tile[i - 1] ?? 0);
  }
}

/**
 * Predictor 3 (Adobe floating point): per row, split each float's bytes into planes, most
 * significant plane first, then difference the row's bytes. This is the inverse of what
 * libtiff and geotiff.js (predictor.js, decodeRowFloatingPoint) undo on read.
 */
function floatingPointDifference(tile: Float32Array, size: number): Uint8Array {
  const bytes = new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
  const out = new Uint8Array(bytes.length);
  const rowBytes = size * 4;
  for (let row = 0; row < size; row++) {
    const base = row * rowBytes;
    for (let i = 0; i < size; i++) {
      for (let b = 0; b < 4; b++) {
        // Plane b holds byte (3 - b) of each little-endian float: plane 0 = sign/exponent.
        out[base + b * size + i] = bytes[base + i * 4 + (3 - b)] ?? 0;
      }
    }
    for (let k = base + rowBytes - 1; k > base; k--) out[k] = (out[k] ?? 0) - (out[k - 1] ?? 0);
  }
  return out;
}

function tileBytes(tile: CogData, size: number): Uint8Array {
  if (tile instanceof Float32Array) return floatingPointDifference(tile, size);
  horizontalDifference(tile, size);
  return new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
}

/**
 * Compressed tiles of one level in row-major order. Tiles past the right or bottom edge are
 * padded with `fill` (the nodata value, or 0) so every tile has the full tile size.
 */
export function encodeTiles(level: RasterLevel, tileSize: number, fill: number): Uint8Array[] {
  if (!LITTLE_ENDIAN_HOST) {
    throw new AppError('unsupported', 'Writing GeoTIFFs needs a little-endian platform.');
  }
  const { width, height, data } = level;
  const across = Math.ceil(width / tileSize);
  const down = Math.ceil(height / tileSize);
  const out: Uint8Array[] = [];
  for (let ty = 0; ty < down; ty++) {
    for (let tx = 0; tx < across; tx++) {
      const tile = allocLike(data, tileSize * tileSize);
      const x0 = tx * tileSize;
      const y0 = ty * tileSize;
      const cols = Math.min(tileSize, width - x0);
      const rows = Math.min(tileSize, height - y0);
      if (cols < tileSize || rows < tileSize) tile.fill(fill);
      for (let r = 0; r < rows; r++) {
        const src = (y0 + r) * width + x0;
        tile.set(data.subarray(src, src + cols), r * tileSize);
      }
      out.push(zlibSync(tileBytes(tile, tileSize), { level: 6 }));
    }
  }
  return out;
}
