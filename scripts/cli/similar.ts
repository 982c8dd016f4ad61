import { writeFile } from 'node:fs/promises';
import {
  cosineSimilarity,
  pixelAt,
  queryVector,
  scoreHistogram,
  thresholdMask,
  topKPlaces,
} from '../../src/lib/analysis/index.ts';
import { writeCog } from '../../src/lib/cog/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { converter, pixelToCrs } from '../../src/lib/geo/index.ts';
import { readEmbeddingsFile } from './embeddings-input.ts';
import { type CliCommand, summary } from './io.ts';
import {
  inputFile,
  numberOption,
  optionValue,
  outputFile,
  parseOptions,
  requireOptions,
} from './validate.ts';

const usage = `npm run cli -- similar --embeddings e.tif --at LON,LAT [--at LON,LAT ...] [--not LON,LAT ...]
                         --out sim.tif [--top 10] [--min-separation 10] [--threshold 0.9]

Cosine similarity of every pixel of a multi-band embeddings GeoTIFF (float32, or int8 de-quantised with its per-band scale) to the mean of the
--at places (minus the mean of the --not places). Writes a georeferenced float32 COG (NaN =
nodata) and prints a JSON summary: the best places (NMS), score range and, with --threshold,
the area at or above it in km^2.`;

/** "LON,LAT" -> [lon, lat]. */
export function parseLonLat(text: string): [number, number] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  const [lon, lat] = parts;
  if (
    parts.length !== 2 ||
    lon === undefined ||
    lat === undefined ||
    !Number.isFinite(lon) ||
    !Number.isFinite(lat)
  ) {
    throw new AppError('bad-input', `Expected LON,LAT (degrees), got "${text}".`);
  }
  return [lon, lat];
}

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptions(args, {
      embeddings: { type: 'string' },
      at: { type: 'string', multiple: true },
      not: { type: 'string', multiple: true },
      out: { type: 'string' },
      top: { type: 'string' },
      'min-separation': { type: 'string' },
      threshold: { type: 'string' },
    });
    requireOptions(values, ['embeddings', 'at', 'out'], usage);
    // Everything the command line says is checked before the embeddings are read.
    const at = values.at!.map((t) => optionValue('at', t, parseLonLat));
    const not = (values.not ?? []).map((t) => optionValue('not', t, parseLonLat));
    const k = numberOption('top', values.top, 10, { min: 1, max: 1000, integer: true });
    const minSeparationPx = numberOption('min-separation', values['min-separation'], 10, { min: 0 });
    const threshold =
      values.threshold === undefined
        ? undefined
        : numberOption('threshold', values.threshold, 0, { min: -1, max: 1 });
    const out = outputFile(values.out!);
    const embeddingsPath = inputFile(values.embeddings!, 'embeddings');
    const { grid, georef, storage } = await readEmbeddingsFile(embeddingsPath, values.embeddings!);
    const positives = at.map((p) => pixelAt(georef, ...p));
    const negatives = not.map((p) => pixelAt(georef, ...p));
    const scores = cosineSimilarity(grid, queryVector(grid, { positives, negatives }));
    const places = topKPlaces(scores, grid.width, grid.height, {
      k,
      minSeparationPx,
      queryIndex: positives.length === 1 ? positives[0] : undefined,
    });
    const toLonLat = converter(georef.epsg, 4326);
    const pixelSizeM = georef.transform.resX;
    await writeFile(
      out,
      writeCog({
        width: grid.width,
        height: grid.height,
        data: scores,
        grid: { epsg: georef.epsg, transform: georef.transform },
        nodata: Number.NaN,
        overviewResampling: 'average',
        description: 'Cosine similarity to the query places',
      }),
    );
    const hist = scoreHistogram(scores, 10);
    const area =
      threshold === undefined || georef.epsg === 4326
        ? undefined
        : thresholdMask(scores, threshold, pixelSizeM);
    summary({
      out: values.out,
      width: grid.width,
      height: grid.height,
      dim: grid.dim,
      storage,
      positives: positives.length,
      negatives: negatives.length,
      min: hist.min,
      max: hist.max,
      ...(area && threshold !== undefined
        ? { threshold, pixelsAbove: area.count, areaKm2: area.areaKm2 }
        : {}),
      places: places.map((p) => {
        const [lon, lat] = toLonLat(pixelToCrs(georef.transform, p.col + 0.5, p.row + 0.5));
        return { col: p.col, row: p.row, lon, lat, score: p.score };
      }),
    });
    return 0;
  },
};
