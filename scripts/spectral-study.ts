/**
 * `npx tsx scripts/spectral-study.ts [pack] [--labels file.geojson] [--seeds 5] [--no-presto]`:
 * how well each embedding ranks land cover on a labelled scene, the numbers in the README's
 * "The spectral encoder". Default: the Dolomites pack (npm run pack:demo) and the hand-drawn
 * labels in tests/fixtures/dolomites-landcover.geojson (water, forest, meadow, rock,
 * settlement). Prints one JSON object: per embedding, block-split kNN accuracy (k = 5, 5 folds
 * of 1 km blocks and of the app's default blocks, averaged over the seeds) and, for one query
 * pixel per class, how many of the ten best places read 1.0000 and the tenth score.
 */
import { resolve } from 'node:path';
import { defaultBlockSize } from '../src/lib/classify/index.ts';
import type { EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import {
  DOLOMITES_LABELS,
  loadLabels,
  loadPack,
  prestoAt,
  type Ranking,
  rankLandCover,
  rawBands,
  spectralV1,
  spectralV2,
  topTen,
  trainingSet,
} from './spectral-study-lib.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const pack = resolve(
  args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'packs/dolomites-2022-06',
);
const labelsPath = resolve(option('labels') ?? DOLOMITES_LABELS);
const seeds = Array.from({ length: Number(option('seeds') ?? 5) }, (_, i) => i + 1);
/** One query pixel per class (col, row), inside the first label polygon of each class. */
const QUERIES: Record<string, [number, number]> = {
  water: [897, 430],
  forest: [935, 435],
  meadow: [860, 482],
  rock: [372, 325],
  settlement: [20, 905],
};

async function main(): Promise<void> {
  const scene = await loadPack(pack);
  const labels = loadLabels(labelsPath);
  const { width, height } = scene.grid;
  const blocks = { '1km': 100, default: defaultBlockSize(width, height) };
  const grids: Record<string, EmbeddingGrid> = {
    raw_bands: rawBands(scene),
    spectral_v1: spectralV1(scene),
    spectral: await spectralV2(scene),
  };
  const result: Record<
    string,
    { dim: number; knn: Record<string, Ranking>; top10?: Record<string, unknown> }
  > = {};
  for (const [name, grid] of Object.entries(grids)) {
    const set = trainingSet(grid, labels);
    const knn = Object.fromEntries(
      Object.entries(blocks).map(([b, px]) => [b, rankLandCover(set, width, height, px, seeds)]),
    );
    const top10 = Object.fromEntries(
      Object.entries(QUERIES).map(([cls, [c, r]]) => {
        const shown = topTen(grid, c, r);
        return [cls, { ones: shown.filter((s) => s === '1.0000').length, tenth: shown[9] }];
      }),
    );
    result[name] = { dim: grid.dim, knn, top10 };
    process.stderr.write(`${name}: ${JSON.stringify(knn)}\n`);
  }
  if (!args.includes('--no-presto')) {
    const set = await prestoAt(scene, trainingSet(grids.raw_bands!, labels));
    const knn = Object.fromEntries(
      Object.entries(blocks).map(([b, px]) => [b, rankLandCover(set, width, height, px, seeds)]),
    );
    result.presto = { dim: set.dim, knn };
  }
  process.stdout.write(
    `${JSON.stringify({ pack, labels: labelsPath, bands: scene.bands, width, height, seeds, blocks, result }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
