import {
  createEmbeddingGrid,
  type EmbeddingDtype,
  type EmbeddingGrid,
  type GridGeoref,
} from '../embeddings/embedding-grid.ts';
import { AppError } from '../errors.ts';

/**
 * Compact encodings of a grid's embeddings, for storing and moving them (half or a quarter of
 * float32). Analysis decodes them once per grid to float32, never per query.
 * int8 scales each pixel by its own largest magnitude, so unit vectors keep ~2 decimals per
 * component whatever their spread; the cosine error this adds is below ~1e-3.
 */
export type PackedEmbeddings =
  | { dtype: 'float32'; data: Float32Array }
  | { dtype: 'float16'; data: Uint16Array }
  | { dtype: 'int8'; data: Int8Array; scale: Float32Array };

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of x, rounded to nearest even; overflow to infinity. */
export function toHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // underflows to zero
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = mant >>> 13;
  const rest = mant & 0x1fff;
  const out = (e << 10) | half;
  // Rounding up may carry into the exponent, which is exactly the next representable value.
  return sign | (out + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** The number whose half-precision bits are h. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function packEmbeddings(grid: EmbeddingGrid, dtype: EmbeddingDtype): PackedEmbeddings {
  const { data, dim } = grid;
  if (dtype === 'float32') return { dtype, data: data.slice() };
  if (dtype === 'float16') return { dtype, data: Uint16Array.from(data, toHalf) };
  if (dtype !== 'int8') throw new AppError('bad-input', `Unknown embedding dtype '${String(dtype)}'.`);
  const pixels = grid.width * grid.height;
  const out = new Int8Array(data.length);
  const scale = new Float32Array(pixels);
  for (let p = 0, base = 0; p < pixels; p++, base += dim) {
    let big = 0;
    for (let d = 0; d < dim; d++) big = Math.max(big, Math.abs(data[base + d]!));
    if (!(big > 0) || !Number.isFinite(big)) continue;
    scale[p] = big / 127;
    for (let d = 0; d < dim; d++) out[base + d] = Math.round((data[base + d]! / big) * 127);
  }
  return { dtype, data: out, scale };
}

/** Decodes packed embeddings into a float32 grid (one allocation per grid). */
export function unpackEmbeddings(
  width: number,
  height: number,
  dim: number,
  packed: PackedEmbeddings,
  valid?: Uint8Array,
  georef?: GridGeoref,
): EmbeddingGrid {
  if (packed.data.length !== width * height * dim) {
    throw new AppError(
      'bad-input',
      `Packed embeddings have ${packed.data.length} values; ${width}x${height}x${dim} need ${width * height * dim}.`,
    );
  }
  let data: Float32Array;
  if (packed.dtype === 'float32') data = packed.data;
  else if (packed.dtype === 'float16') data = Float32Array.from(packed.data, fromHalf);
  else {
    const { scale } = packed;
    data = new Float32Array(packed.data.length);
    for (let i = 0; i < data.length; i++) data[i] = packed.data[i]! * scale[Math.floor(i / dim)]!;
  }
  return createEmbeddingGrid(width, height, dim, data, valid, georef);
}
