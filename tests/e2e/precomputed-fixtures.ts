import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmbeddingsTiff } from '../../src/lib/analysis/embeddings-tiff.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/embedding-grid.ts';
import type { GridSpec } from '../../src/lib/geo/geotransform.ts';
import { cut, writeCollection, writeEmbeddings } from '../precomputed/fixtures.ts';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Precomputed embeddings of a pack, made with the project's own tools: `npm run cli -- embed`
 * (spectral) writes the whole scene; it is cut into a west and an east tile (the app's own
 * GeoTIFF export) listed by an ItemCollection for 2022, and a 2023 copy whose 100 x 100 px
 * block at `changed` has other vectors (reversed dimensions), for the change between years.
 */
export async function buildPrecomputedFixtures(packDir: string, outDir: string): Promise<{ grid: GridSpec }> {
  const whole = join(outDir, 'whole.tif');
  execFileSync('npx', ['tsx', join(ROOT, 'scripts/cli.ts'), 'embed', '--source', packDir, '--out', whole], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const bytes = readFileSync(whole);
  const { grid: e, georef } = await readEmbeddingsTiff(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    whole,
  );
  const grid: GridSpec = {
    width: georef.width,
    height: georef.height,
    epsg: georef.epsg,
    transform: georef.transform,
  };
  const half = Math.floor(grid.width / 2);
  const changed = e.data.slice();
  for (let r = 300; r < 400; r++)
    for (let c = 300; c < 400; c++) {
      const p = r * grid.width + c;
      changed.subarray(p * e.dim, (p + 1) * e.dim).reverse();
    }
  const y2023 = createEmbeddingGrid(e.width, e.height, e.dim, changed, e.valid);
  const items = [];
  for (const [year, emb] of [
    [2022, e],
    [2023, y2023],
  ] as const) {
    for (const [side, window] of [
      ['west', [0, 0, half, grid.height]],
      ['east', [half, 0, grid.width, grid.height]],
    ] as const) {
      const tile = cut(grid, emb, [...window]);
      const href = `${year}/${side}.tif`;
      execFileSync('mkdir', ['-p', join(outDir, String(year))]);
      writeEmbeddings(outDir, href, tile.grid, tile.embeddings, 'float32', { MODEL: 'spectral' });
      items.push({
        id: `${side}-${year}`,
        href,
        grid: tile.grid,
        dim: e.dim,
        model: 'spectral',
        datetime: `${year}-06-01T00:00:00Z`,
      });
    }
  }
  writeCollection(outDir, 'collection.json', items);
  return { grid };
}
