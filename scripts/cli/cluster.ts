import { writeFile } from 'node:fs/promises';
import {
  DEFAULT_MAX_ITERATIONS,
  kmeansParallel,
  MAX_CLUSTERS,
  MIN_CLUSTERS,
} from '../../src/lib/analysis/index.ts';
import { NO_LABEL } from '../../src/lib/analysis/kmeans-steps.ts';
import { writeCog } from '../../src/lib/cog/index.ts';
import { readEmbeddingsFile } from './embeddings-input.ts';
import { type CliCommand, progress, summary } from './io.ts';
import { inputFile, numberOption, outputFile, parseOptions, requireOptions } from './validate.ts';

const usage = `npm run cli -- cluster --embeddings e.tif -k 8 [--seed 1] [--iterations ${DEFAULT_MAX_ITERATIONS}] --out clusters.tif

k-means (seeded k-means++, k 2..20) of the pixels of a multi-band embeddings GeoTIFF (float32, or int8 de-quantised with its per-band scale).
Writes a georeferenced uint8 COG of cluster labels (255 = nodata) and prints a JSON summary:
inertia, iterations, pixels per cluster.`;

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptions(args, {
      embeddings: { type: 'string' },
      k: { type: 'string', short: 'k' },
      seed: { type: 'string' },
      iterations: { type: 'string' },
      out: { type: 'string' },
    });
    requireOptions(values, ['embeddings', 'k', 'out'], usage);
    // Everything the command line says is checked before the embeddings are read.
    const k = numberOption('k', values.k, 8, { min: MIN_CLUSTERS, max: MAX_CLUSTERS, integer: true });
    const seed = numberOption('seed', values.seed, 1, { min: 0, max: 2 ** 32 - 1, integer: true });
    const maxIterations = numberOption('iterations', values.iterations, DEFAULT_MAX_ITERATIONS, {
      min: 1,
      max: 10_000,
      integer: true,
    });
    const out = outputFile(values.out!);
    const embeddingsPath = inputFile(values.embeddings!, 'embeddings');
    const { grid, georef, storage } = await readEmbeddingsFile(embeddingsPath, values.embeddings!);
    const result = await kmeansParallel(grid, {
      k,
      seed,
      maxIterations,
      onProgress: (iteration, inertia) => progress('kmeans', iteration, maxIterations, { inertia }),
    });
    await writeFile(
      out,
      writeCog({
        width: grid.width,
        height: grid.height,
        data: result.labels,
        grid: { epsg: georef.epsg, transform: georef.transform },
        nodata: NO_LABEL,
        overviewResampling: 'nearest',
        description: `k-means clusters, k=${k}, seed ${seed}`,
      }),
    );
    const counts = new Array<number>(k).fill(0);
    for (const label of result.labels) if (label < k) counts[label] = (counts[label] ?? 0) + 1;
    summary({
      out: values.out,
      width: grid.width,
      height: grid.height,
      dim: grid.dim,
      storage,
      k,
      seed,
      inertia: result.inertia,
      iterations: result.iterations,
      converged: result.converged,
      counts,
    });
    return 0;
  },
};
