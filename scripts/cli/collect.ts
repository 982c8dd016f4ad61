import { join } from 'node:path';
import { AppError } from '../../src/lib/errors.ts';
import {
  embeddingCollectionProblems,
  itemCollection,
  type StacItem,
  TILES_DIR,
  tileIndexParquet,
} from '../../src/lib/jobs/index.ts';
import { readPlan } from '../jobs/read-plan.ts';
import { tileState, writeAtomic } from '../jobs/tile-files.ts';
import { EXIT } from './exit-codes.ts';
import { type CliCommand, progress, summary } from './io.ts';
import { parseOptions, requireOptions } from './validate.ts';

export const COLLECTION_FILE = 'collection.json';
export const INDEX_FILE = 'index.parquet';

const usage = `npm run cli -- collect --plan job/

Checks every tile of a job (its STAC Item belongs to the plan, its COG exists and has the SHA-256
the Item records) and writes job/${COLLECTION_FILE}, a STAC ItemCollection of the tiles (the
embedding-collection format the app opens as an embeddings source), and job/${INDEX_FILE}, a
GeoParquet index (AlphaEarth's columns: fid, path, year, crs, utm_zone, WGS84 and UTM bounds,
geometry as WKB). Missing or invalid tiles are listed and nothing is written (exit 3): run
their shards again, then collect.`;

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptions(args, { plan: { type: 'string' } });
    requireOptions(values, ['plan'], usage);
    const { plan, planSha256, jobDir } = await readPlan(values.plan!);
    const tilesDir = join(jobDir, TILES_DIR);
    const items: StacItem[] = [];
    const bad: { id: string; problem: string }[] = [];
    for (const [n, tile] of plan.tiles.entries()) {
      const state = await tileState(tilesDir, tile.id, planSha256);
      if (state.state === 'done') items.push(state.item);
      else bad.push({ id: tile.id, problem: state.state === 'missing' ? 'missing' : state.reason });
      if ((n + 1) % 50 === 0 || n + 1 === plan.tiles.length) progress('check', n + 1, plan.tiles.length);
    }
    if (bad.length) {
      summary({ plan: values.plan, tiles: plan.tiles.length, complete: items.length, incomplete: bad });
      const shown = bad.slice(0, 20).map((b) => `${b.id} (${b.problem})`);
      throw new AppError(
        'not-found',
        `${bad.length} of ${plan.tiles.length} tile(s) are missing or invalid: ${shown.join(', ')}${bad.length > shown.length ? ', …' : ''}. Run their shards again (npm run cli -- run --plan ${values.plan}), then collect.`,
      );
    }
    const hrefOf = (item: StacItem) => `${TILES_DIR}/${item.id}.tif`;
    const collection = itemCollection(items, hrefOf);
    const problems = embeddingCollectionProblems(collection);
    if (problems.length)
      throw new AppError(
        'internal',
        `The collection breaks the embedding-collection format: ${problems.slice(0, 5).join('; ')}.`,
      );
    await writeAtomic(join(jobDir, COLLECTION_FILE), `${JSON.stringify(collection, null, 2)}\n`);
    const index = tileIndexParquet(items.map((item) => ({ path: hrefOf(item), item })));
    await writeAtomic(join(jobDir, INDEX_FILE), index);
    summary({
      plan: values.plan,
      tiles: items.length,
      collection: join(values.plan!, COLLECTION_FILE),
      index: join(values.plan!, INDEX_FILE),
      index_bytes: index.length,
    });
    return EXIT.ok;
  },
};
