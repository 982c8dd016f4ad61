import { writeFile } from 'node:fs/promises';
import { countValid } from '../../src/lib/embeddings/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/index.ts';
import type { PrecomputedFamily } from '../../src/lib/precomputed/index.ts';
import { targetGridFor } from '../../src/lib/precomputed/index.ts';
import { UsageError } from './exit-codes.ts';
import { type CliCommand, progress, summary, warn } from './io.ts';
import { PRODUCTS } from './products.ts';
import { bboxOption, numberOption, outputFile, parseOptions, requireOptions } from './validate.ts';

const usage = `npm run cli -- fetch-embeddings --product aef --year Y --bbox W,S,E,N --out e.tif
                                  [--res 10] [--base-url URL]

Reads a published (precomputed) embedding product for an area and year and writes it as a
float32 embeddings GeoTIFF (one band per dimension, named as the product names them; product,
year and base URL in its metadata), on a grid of --res metres in the UTM zone of the area's
centre, mosaicked across tiles and zones (nearest resampling; coarse grids read overviews).
similar, cluster and classify take the file as --embeddings. Products: ${Object.keys(PRODUCTS).join(', ')}.
--base-url: a mirror of the product (default: the public one). JSON progress on stderr, a JSON
summary on stdout; Ctrl-C cancels.`;

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptions(args, {
      product: { type: 'string' },
      year: { type: 'string' },
      bbox: { type: 'string' },
      res: { type: 'string' },
      'base-url': { type: 'string' },
      out: { type: 'string' },
    });
    requireOptions(values, ['product', 'year', 'bbox', 'out'], usage);
    // Everything the command line says is checked before any request.
    const family = values.product as PrecomputedFamily;
    const load = PRODUCTS[family];
    if (!load)
      throw new UsageError(
        `Unknown --product ${values.product}; choose ${Object.keys(PRODUCTS).join(', ')}.`,
      );
    const year = numberOption('year', values.year, 0, { min: 1900, max: 2100, integer: true });
    const bbox = bboxOption(values.bbox!);
    const res = numberOption('res', values.res, 10, { min: 10, max: 10_000 });
    const out = outputFile(values.out!);
    const product = await load();
    if (product.years && !product.years.includes(year) && values['base-url'] === undefined)
      throw new UsageError(
        `--year ${year}: ${product.title} publishes ${product.years[0]}–${product.years.at(-1)} at its default address.`,
      );
    const baseUrl = values['base-url'] ?? product.defaultBaseUrl;
    const grid = targetGridFor(bbox, res);
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    const started = performance.now();
    try {
      const result = await product.read(
        { family, baseUrl, year, grid },
        {
          signal: controller.signal,
          onProgress: (p) => progress(p.stage, p.done, p.total, { bytes: p.bytes }),
        },
      );
      const valid = countValid(result.embeddings) / result.embeddings.valid.length;
      if (!(valid > 0))
        throw new AppError(
          'bad-input',
          `${result.label} has no valid pixel in the area (every pixel is masked). Nothing was written.`,
        );
      if (valid < 0.5)
        warn(`Only ${(valid * 100).toFixed(1)} % of the area has embeddings.`, { valid_fraction: valid });
      const bytes = embeddingsToGeoTiff({
        embeddings: result.embeddings,
        grid,
        encoding: 'float32',
        names: result.bandNames,
        metadata: {
          PRODUCT: family,
          PRODUCT_TITLE: product.title,
          PRODUCT_LABEL: result.label,
          YEAR: String(year),
          BASE_URL: baseUrl,
          SOURCE_FILES: String(result.sources.length),
        },
      });
      await writeFile(out, bytes);
      summary({
        out: values.out,
        product: family,
        label: result.label,
        year,
        base_url: baseUrl,
        width: grid.width,
        height: grid.height,
        epsg: grid.epsg,
        resolution_m: res,
        dim: result.embeddings.dim,
        valid_fraction: valid,
        files: result.sources.length,
        requests: result.fetched.requests,
        bytes_fetched: result.fetched.bytes,
        bytes: bytes.length,
        seconds: (performance.now() - started) / 1000,
      });
      return 0;
    } finally {
      process.off('SIGINT', cancel);
    }
  },
};
