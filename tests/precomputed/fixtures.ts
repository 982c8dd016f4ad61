import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddingGrid, type EmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { type EmbeddingEncoding, embeddingsToGeoTiff } from '../../src/lib/export/index.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { embeddingsItem } from '../../src/lib/precomputed/collection/item-collection.ts';

/** A 10 m UTM 32N grid near Cortina d'Ampezzo, `width` x `height` pixels. */
export function utm32Grid(width: number, height: number, originX = 740000, originY = 5170000): GridSpec {
  return { width, height, epsg: 32632, transform: { originX, originY, resX: 10, resY: 10 } };
}

/**
 * Unit embeddings that vary smoothly and per pixel (no two neighbours equal), with a nodata
 * block in the top-left corner, so a pixel off by one or a seam shows.
 */
export function syntheticEmbeddings(grid: GridSpec, dim: number, seed = 1): EmbeddingGrid {
  const { width, height } = grid;
  const data = new Float32Array(width * height * dim);
  const valid = new Uint8Array(width * height).fill(1);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const p = r * width + c;
      if (r < 5 && c < 7) {
        valid[p] = 0;
        continue;
      }
      let ss = 0;
      for (let d = 0; d < dim; d++) {
        const v =
          Math.sin(0.37 * c * (d + 1) + seed) +
          Math.cos(0.23 * r * (d + 2) - d) +
          0.01 * ((p * 7919 + d) % 13);
        data[p * dim + d] = v;
        ss += v * v;
      }
      for (let d = 0; d < dim; d++) data[p * dim + d]! /= Math.sqrt(ss);
    }
  return createEmbeddingGrid(width, height, dim, data, valid);
}

/** The sub-grid of columns [c0, c1) and rows [r0, r1), and the embeddings on it. */
export function cut(
  grid: GridSpec,
  e: EmbeddingGrid,
  [c0, r0, c1, r1]: [number, number, number, number],
): { grid: GridSpec; embeddings: EmbeddingGrid } {
  const width = c1 - c0;
  const height = r1 - r0;
  const data = new Float32Array(width * height * e.dim);
  const valid = new Uint8Array(width * height);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const src = (r + r0) * e.width + (c + c0);
      valid[r * width + c] = e.valid[src]!;
      data.set(e.data.subarray(src * e.dim, (src + 1) * e.dim), (r * width + c) * e.dim);
    }
  const t = grid.transform;
  return {
    grid: {
      width,
      height,
      epsg: grid.epsg,
      transform: { ...t, originX: t.originX + c0 * t.resX, originY: t.originY - r0 * t.resY },
    },
    embeddings: createEmbeddingGrid(width, height, e.dim, data, valid),
  };
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `eee-${name}-`));
}

/** Writes the project's own embeddings export of `e` on `grid` to dir/name. */
export function writeEmbeddings(
  dir: string,
  name: string,
  grid: GridSpec,
  e: EmbeddingGrid,
  encoding: EmbeddingEncoding = 'float32',
  metadata: Record<string, string> = { MODEL: 'synthetic' },
): Uint8Array {
  const bytes = embeddingsToGeoTiff({ embeddings: e, grid, encoding, metadata });
  writeFileSync(join(dir, name), bytes);
  return bytes;
}

/** Writes an ItemCollection naming `tiles` (hrefs relative to the collection). */
export function writeCollection(
  dir: string,
  name: string,
  tiles: {
    id: string;
    href: string;
    grid: GridSpec;
    dim: number;
    datetime?: string;
    model?: string;
    dataType?: 'float32' | 'int8';
  }[],
): void {
  const features = tiles.map((t) =>
    embeddingsItem({
      id: t.id,
      href: t.href,
      grid: t.grid,
      dim: t.dim,
      model: t.model ?? 'synthetic',
      datetime: t.datetime ?? '2022-06-15T00:00:00Z',
      dataType: t.dataType ?? 'float32',
    }),
  );
  writeFileSync(join(dir, name), JSON.stringify({ type: 'FeatureCollection', features }));
}
