import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmbeddingsTiff } from '../../src/lib/analysis/index.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { cut, writeCollection, writeEmbeddings } from '../precomputed/fixtures.ts';

const ROOT = join(import.meta.dirname, '../..');
/** The 100 x 100 px block (rows, columns of the 10 m grid) whose 2023 vectors differ. */
const CHANGED = { row0: 300, row1: 400, col0: 300, col1: 400 };

/**
 * Precomputed embeddings of a pack, made with the project's own tools: `npm run cli -- embed`
 * (spectral) writes the whole scene; it is cut into a west and an east tile (the app's own
 * GeoTIFF export) listed by an ItemCollection for 2022, and a 2023 copy whose 100 x 100 px
 * block CHANGED has other vectors (reversed dimensions), for the change between years.
 * A 2023 tile the block does not touch is the 2022 file, copied (the same export of the same
 * values: writing it again took a quarter of the build).
 */
export async function buildPrecomputedFixtures(packDir: string, outDir: string): Promise<{ grid: GridSpec }> {
  const whole = join(outDir, 'whole.tif');
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/cli.ts'), 'embed', '--source', packDir, '--out', whole],
    { cwd: ROOT, stdio: 'ignore' },
  );
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
  for (let r = CHANGED.row0; r < CHANGED.row1; r++)
    for (let c = CHANGED.col0; c < CHANGED.col1; c++) {
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
      mkdirSync(join(outDir, String(year)), { recursive: true });
      const touched = window[0] < CHANGED.col1 && CHANGED.col0 < window[2];
      if (year === 2023 && !touched) copyFileSync(join(outDir, `2022/${side}.tif`), join(outDir, href));
      else writeEmbeddings(outDir, href, tile.grid, tile.embeddings, 'float32', { MODEL: 'spectral' });
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
