/**
 * Reading embeddings GeoTIFFs back with their scale: the app's int8 scheme de-quantised per band,
 * the first (clamped) scheme still read as written, any other int8 refused with a clear message,
 * and float files with GDAL SCALE/OFFSET scaled as GDAL would.
 */
import { describe, expect, it } from 'vitest';
import { readEmbeddingsTiff } from '../../src/lib/analysis/embeddings-tiff.ts';
import { writeCog } from '../../src/lib/cog/index.ts';
import { createEmbeddingGrid, INT8_LEGACY_SCHEME, INT8_NODATA } from '../../src/lib/embeddings/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/index.ts';
import { random, toArrayBuffer, utmGrid } from '../export/helpers.ts';

const W = 24;
const H = 16;
const grid = utmGrid(W, H);

/** A two-band int8 file with the given dataset metadata and band scale/offset. */
function int8File(metadata: Record<string, string>, scale?: number, offset?: number): ArrayBuffer {
  const bands = [0, 1].map((b) => Int8Array.from({ length: W * H }, (_, p) => ((p * (b + 3)) % 200) - 100));
  bands[0]![5] = INT8_NODATA;
  return toArrayBuffer(
    writeCog({
      width: W,
      height: H,
      bands,
      grid,
      nodata: INT8_NODATA,
      overviewResampling: 'average',
      bandInfo: [0, 1].map(() => (scale === undefined ? {} : { scale, offset: offset ?? 0 })),
      metadata,
    }),
  );
}

async function refusal(bytes: ArrayBuffer): Promise<AppError> {
  try {
    await readEmbeddingsTiff(bytes, 'e.tif');
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('readEmbeddingsTiff with scales', () => {
  it('de-quantises the int8 scheme per band to within half a step of the float values', async () => {
    const rnd = random(3);
    const dim = 5;
    // Bands of very different ranges, as encoders write them (Presto: components up to ~7).
    const data = Float32Array.from({ length: W * H * dim }, (_, i) => (rnd() - 0.3) * (1 + (i % dim) * 3));
    const valid = Uint8Array.from({ length: W * H }, (_, p) => (p % 7 === 0 ? 0 : 1));
    const embeddings = createEmbeddingGrid(W, H, dim, data, valid);
    const bytes = embeddingsToGeoTiff({ embeddings, grid, encoding: 'int8' });
    const read = await readEmbeddingsTiff(toArrayBuffer(bytes), 'e.tif');
    expect(read.storage).toBe('int8-affine-per-band');
    expect(Array.from(read.grid.valid)).toEqual(Array.from(valid));
    for (let d = 0; d < dim; d++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let worst = 0;
      for (let p = 0; p < W * H; p++) {
        if (valid[p] === 0) continue;
        const x = data[p * dim + d]!;
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        worst = Math.max(worst, Math.abs(read.grid.data[p * dim + d]! - x));
      }
      expect(worst).toBeLessThanOrEqual(((hi - lo) / 254) * 0.5 + 1e-6);
    }
  });

  it('reads the first scheme (clamped to [-1, 1], SCALE 1/127) as written and says which it is', async () => {
    const read = await readEmbeddingsTiff(
      int8File({ EMBEDDING_QUANTISATION: `${INT8_LEGACY_SCHEME}; x = stored / 127; -128 = nodata` }, 1 / 127),
      'old.tif',
    );
    expect(read.storage).toBe('int8-clamp-unit');
    expect(read.grid.data[2 * 2 + 1]).toBeCloseTo((((2 * 4) % 200) - 100) / 127, 6);
    expect(read.grid.valid[5]).toBe(0);
  });

  it('refuses int8 without a scheme it knows, naming the file and what to do', async () => {
    const none = await refusal(int8File({}));
    expect(none.code).toBe('bad-input');
    expect(none.message).toMatch(/^e\.tif stores int8 embeddings without EMBEDDING_QUANTISATION metadata/);
    expect(none.message).toContain('float32');
    // AlphaEarth-style int8 is not linear: a guessed scale would distort every similarity.
    const other = await refusal(
      int8File({ EMBEDDING_QUANTISATION: 'x = (stored / 127.5)^2 * sign(stored)' }, 1),
    );
    expect(other.message).toContain('a scheme this app does not know');
  });

  it('applies SCALE/OFFSET of a float file as GDAL does', async () => {
    const data = Float32Array.from({ length: W * H * 2 }, (_, i) => (i % 13) + 1);
    const bands = [0, 1].map((b) => Float32Array.from({ length: W * H }, (_, p) => data[p * 2 + b]!));
    const bytes = writeCog({
      width: W,
      height: H,
      bands,
      grid,
      nodata: Number.NaN,
      overviewResampling: 'average',
      bandInfo: [{ scale: 0.5, offset: -1 }, {}],
    });
    const read = await readEmbeddingsTiff(toArrayBuffer(bytes), 'f.tif');
    expect(read.storage).toBe('float');
    expect(read.grid.data[10 * 2]).toBeCloseTo(data[10 * 2]! * 0.5 - 1, 6);
    expect(read.grid.data[10 * 2 + 1]).toBe(data[10 * 2 + 1]);
  });
});
