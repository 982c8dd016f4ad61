import { readFile, writeFile } from 'node:fs/promises';
import { readEmbeddingsTiff } from '../../src/lib/analysis/embeddings-tiff.ts';
import { NO_LABEL } from '../../src/lib/analysis/kmeans.ts';
import { kmeansParallel } from '../../src/lib/analysis/kmeans-parallel.ts';
import { writeCog } from '../../src/lib/cog/writer/cog-writer.ts';
import { AppError } from '../../src/lib/errors.ts';
import { type CliCommand, parseOptions, progress, summary } from './io.ts';

const usage = `npm run cli -- cluster --embeddings e.tif -k 8 [--seed 1] [--iterations 30] --out clusters.tif

k-means (seeded k-means++, k 2..20) of the pixels of a multi-band float32 embeddings GeoTIFF.
Writes a georeferenced uint8 COG of cluster labels (255 = nodata) and prints a JSON summary:
inertia, iterations, pixels per cluster.`;

function integer(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value))
    throw new AppError('bad-input', `--${name} must be a whole number, got "${text}".`);
  return value;
}

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
    if (!values.embeddings || !values.out || values.k === undefined) {
      throw new AppError('bad-input', `--embeddings, -k and --out are required.\n${usage}`);
    }
    const k = integer(values.k, 8, 'k');
    const seed = integer(values.seed, 1, 'seed');
    const maxIterations = integer(values.iterations, 30, 'iterations');
    const { grid, georef } = await readEmbeddingsTiff(
      (await readFile(values.embeddings)).buffer as ArrayBuffer,
      values.embeddings,
    );
    const result = await kmeansParallel(grid, {
      k,
      seed,
      maxIterations,
      onProgress: (iteration, inertia) => progress('kmeans', iteration, maxIterations, { inertia }),
    });
    await writeFile(
      values.out,
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
