import { z } from 'zod';
import { createEmbeddingGrid, type EmbeddingGrid } from '../embeddings/index.ts';
import type { EncoderInfo } from '../encoder/index.ts';
import { AppError } from '../errors.ts';
import type { EntryMeta } from './store.ts';

/** An embedding grid as the cache gives it back, with what made it and when. */
export interface CachedEmbeddings {
  grid: EmbeddingGrid;
  info: EncoderInfo;
  /** ISO time the grid was computed. */
  computedAt: string;
}

const metaSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  dim: z.number().int().positive(),
  computedAt: z.string().min(1),
  info: z.object({
    model: z.string(),
    name: z.string(),
    sha256: z.string().optional(),
    bands: z.array(z.string()),
    featureNames: z.array(z.string()),
    dim: z.number().int().positive(),
    backend: z.string(),
    dtype: z.string(),
    reason: z.string(),
  }),
});

/**
 * The grid as one buffer: width*height*dim float32 values, then width*height validity bytes.
 * Float32, not float16: a restored grid must give exactly the similarity and clusters the
 * computed one gave (the tests compare top-k lists), and float16 would move scores in their
 * fourth decimal.
 */
export function encodeEmbeddings(cached: CachedEmbeddings): { bytes: ArrayBuffer; meta: EntryMeta } {
  const { grid, info, computedAt } = cached;
  const pixels = grid.width * grid.height;
  const bytes = new ArrayBuffer(pixels * grid.dim * 4 + pixels);
  new Float32Array(bytes, 0, pixels * grid.dim).set(grid.data);
  new Uint8Array(bytes, pixels * grid.dim * 4).set(grid.valid);
  const meta = { width: grid.width, height: grid.height, dim: grid.dim, computedAt, info: { ...info } };
  return { bytes, meta };
}

/**
 * Rebuilds a stored grid, refusing an entry whose facts or length do not add up (a corrupt
 * entry). `shared`: copy into a SharedArrayBuffer, as encodeScene allocates when the page is
 * cross-origin isolated, so the analysis workers read it without copies.
 */
export function decodeEmbeddings(bytes: ArrayBuffer, meta: EntryMeta, shared: boolean): CachedEmbeddings {
  const parsed = metaSchema.safeParse(meta);
  const corrupt = () => new AppError('internal', 'Browser storage held a corrupt embeddings entry.');
  if (!parsed.success) throw corrupt();
  const { width, height, dim, computedAt, info } = parsed.data;
  const pixels = width * height;
  if (bytes.byteLength !== pixels * dim * 4 + pixels || info.dim !== dim) throw corrupt();
  const size = pixels * dim * 4;
  const share = shared && typeof SharedArrayBuffer === 'function';
  const data = new Float32Array(share ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  data.set(new Float32Array(bytes, 0, pixels * dim));
  const valid = new Uint8Array(share ? new SharedArrayBuffer(pixels) : new ArrayBuffer(pixels));
  valid.set(new Uint8Array(bytes, size, pixels));
  return { grid: createEmbeddingGrid(width, height, dim, data, valid), info, computedAt };
}
