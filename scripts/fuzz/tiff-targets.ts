import { readEmbeddingsTiff } from '../../src/lib/analysis/index.ts';
import { createReadContext, openTiff, readBandOnGrid, writeCog } from '../../src/lib/cog/index.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/index.ts';
import { loadScene } from '../../src/lib/scene/index.ts';
import type { ByteServer } from './byte-server.ts';
import { emptyReport, rng, runCase, type TargetReport, tally } from './outcome.ts';
import { ifdFields, mutateTiff } from './tiff-mutations.ts';

const TRANSFORM = { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 };
const GRID = { epsg: 32632, transform: TRANSFORM };
const TARGET = { width: 64, height: 64, epsg: 32632, transform: TRANSFORM };

/** A 64 x 64 UInt16 band as the project's COG writer writes it: tiled, DEFLATE, overviews. */
export function sampleCog(): Uint8Array {
  const data = new Uint16Array(64 * 64).map((_, i) => 1000 + (i % 61));
  return writeCog({ width: 64, height: 64, data, grid: GRID, tileSize: 16, overviewResampling: 'average' });
}

/** A 16 x 16 grid of 4-dimensional float32 embeddings as the app exports them. */
export function sampleEmbeddings(): Uint8Array {
  const dim = 4;
  const data = new Float32Array(16 * 16 * dim).map((_, i) => Math.sin(i));
  const grid = createEmbeddingGrid(16, 16, dim, data, new Uint8Array(256).fill(1));
  return embeddingsToGeoTiff({
    embeddings: grid,
    grid: { width: 16, height: 16, epsg: 32632, transform: TRANSFORM },
    encoding: 'float32',
  });
}

export type TiffTarget = 'cog-file' | 'cog-url' | 'dropped-files' | 'embeddings';

/** What reading a mutated file means for each target: the app's own entry points. */
function reader(target: TiffTarget, server: ByteServer): (bytes: Uint8Array, n: number) => Promise<unknown> {
  switch (target) {
    case 'cog-file':
      return async (bytes, n) => {
        const label = `case-${n}.tif`;
        const tiff = await openTiff({ kind: 'file', file: new Blob([new Uint8Array(bytes)]), name: label });
        await readBandOnGrid(tiff, TARGET, label, { method: 'nearest' });
      };
    case 'cog-url':
      return async (bytes, n) => {
        const path = `/case-${n}.tif`;
        server.put(path, bytes);
        const ctx = createReadContext(undefined, {
          timeoutMs: 5000,
          retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        });
        const url = `${server.url}${path}`;
        const tiff = await openTiff({ kind: 'url', url }, undefined, ctx);
        await readBandOnGrid(tiff, TARGET, url, { method: 'bilinear' });
      };
    case 'dropped-files':
      // The app's own entry for dropped files: the damaged file is the red band of four.
      return async (bytes) => {
        const good = sampleCog();
        const files = ['B02', 'B03', 'B04', 'B08'].map((band) => ({
          name: `${band}.tif`,
          file: new Blob([new Uint8Array(band === 'B04' ? bytes : good)]),
        }));
        await loadScene({ kind: 'files', files, convention: 'offset-1000' }, () => undefined);
      };
    case 'embeddings':
      return async (bytes, n) => {
        await readEmbeddingsTiff(bytes.slice().buffer as ArrayBuffer, `case-${n}.tif`);
      };
  }
}

/** `cases` mutated headers of the target's sample file, each read with the app's code. */
export async function fuzzTiff(
  target: TiffTarget,
  seed: number,
  cases: number,
  server: ByteServer,
  limitMs: number,
): Promise<TargetReport> {
  const original = target === 'embeddings' ? sampleEmbeddings() : sampleCog();
  const fields = ifdFields(original);
  const headerEnd = Math.min(original.length, 1024);
  const random = rng(seed);
  const read = reader(target, server);
  const report = emptyReport(`tiff:${target}`);
  for (let n = 0; n < cases; n++) {
    const bytes = mutateTiff(original, fields, headerEnd, random);
    tally(report, n, await runCase(() => read(bytes, n), limitMs));
    server.put(`/case-${n}.tif`, new Uint8Array(0));
  }
  return report;
}
