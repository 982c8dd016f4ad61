/**
 * `npm run pack:fetch -- --bbox W,S,E,N --datetime A/B [--max-cloud N] [--months]
 *   [--stac URL] [--collection ID] --out packs/NAME`
 * Searches a STAC API (Earth Search by default), cuts the area out of every band + SCL of the
 * best scene (or the best scene per month) with HTTP range requests and writes a pack: one COG
 * per band and item, and catalog.json with relative hrefs. The folder is replaced only once the
 * whole pack is written: a failed fetch leaves the previous pack as it was. `--product P --year Y`
 * adds a published embedding product cut to the area (pack-embeddings.ts), with or without scenes.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BBox } from '../src/lib/geo/index.ts';
import { CATALOG_FILE, type FetchPackResult, fetchPack } from '../src/lib/pack/index.ts';
import type { PrecomputedFamily } from '../src/lib/precomputed/index.ts';
import { families, productFor } from '../src/lib/precomputed/index.ts';
import { DEFAULT_COLLECTION, EARTH_SEARCH_URL } from '../src/lib/stac/index.ts';
import { EXIT, EXIT_CODES_HELP, UsageError } from './cli/exit-codes.ts';
import { fail } from './cli/io.ts';
import {
  bboxOption,
  choiceOption,
  datetimeOption,
  numberOption,
  parseOptions,
  requireOptions,
} from './cli/validate.ts';
import { cutEmbeddingsIntoPack } from './pack-embeddings.ts';

/**
 * Runs `write` into a temporary sibling folder of `outDir` and swaps it in when it succeeds:
 * the old pack moves aside, the new one takes its name, the old one is deleted. On failure
 * (HTTP 500, a truncated file, Ctrl-C) the temporary folder is removed and `outDir` is untouched.
 */
export async function writeSwapped<T>(outDir: string, write: (dir: string) => Promise<T>): Promise<T> {
  const stamp = `${process.pid}-${Date.now()}`;
  const partial = `${outDir}.partial-${stamp}`;
  const previous = `${outDir}.previous-${stamp}`;
  await mkdir(path.dirname(outDir), { recursive: true });
  let result: T;
  try {
    result = await write(partial);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  const hadPrevious = await rename(outDir, previous).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  await rename(partial, outDir);
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
  return result;
}

const usage = `usage: npm run pack:fetch -- --bbox W,S,E,N --datetime A/B [--max-cloud N] [--months]
                          [--stac URL] [--collection ID] --out packs/NAME
       npm run pack:fetch -- --bbox W,S,E,N [--datetime A/B ...] --product aef|tessera|collection
                          --year Y [--base-url URL] [--res 10] --out packs/NAME

--product cuts a published embedding product (AlphaEarth, TESSERA, or any embeddings GeoTIFF or
collection: --base-url names it) for the area and year into the pack (embeddings/{product}-{year}/,
listed in catalog.json), read by the app offline in the Precomputed panel. With --datetime the
scenes are fetched too; without it --out must be an existing pack, whose scenes stay.

${EXIT_CODES_HELP}`;

/** What the command line asks for, checked whole before any request. */
interface PackFetchOptions {
  outDir: string;
  bbox: BBox;
  scenes?: { datetime: string; maxCloud?: number; months: boolean; stac: string; collection: string };
  embeddings?: { family: PrecomputedFamily; year: number | undefined; baseUrl: string; res: number };
}

export function parsePackFetchArgs(args: string[]): PackFetchOptions {
  const { values } = parseOptions(args, {
    bbox: { type: 'string' },
    datetime: { type: 'string' },
    'max-cloud': { type: 'string' },
    months: { type: 'boolean', default: false },
    stac: { type: 'string', default: EARTH_SEARCH_URL },
    collection: { type: 'string', default: DEFAULT_COLLECTION },
    product: { type: 'string' },
    year: { type: 'string' },
    'base-url': { type: 'string' },
    res: { type: 'string' },
    out: { type: 'string' },
  });
  requireOptions(values, values.product === undefined ? ['bbox', 'datetime', 'out'] : ['bbox', 'out'], usage);
  const bbox = bboxOption(values.bbox!);
  const outDir = path.resolve(values.out!);
  const options: PackFetchOptions = { outDir, bbox };
  if (values.datetime !== undefined) {
    const maxCloud =
      values['max-cloud'] === undefined
        ? undefined
        : numberOption('max-cloud', values['max-cloud'], 100, { min: 0, max: 100 });
    options.scenes = {
      datetime: datetimeOption(values.datetime),
      months: values.months,
      stac: values.stac,
      collection: values.collection,
      ...(maxCloud === undefined ? {} : { maxCloud }),
    };
  }
  if (values.product === undefined) {
    for (const name of ['year', 'base-url', 'res'] as const)
      if (values[name] !== undefined) throw new UsageError(`--${name} goes with --product.\n${usage}`);
    return options;
  }
  const family = choiceOption('product', values.product, families(), 'aef');
  const product = productFor(family);
  if (product.years && values.year === undefined)
    throw new UsageError(`--product ${family} needs --year (${product.title} is published per year).`);
  const year =
    values.year === undefined
      ? undefined
      : numberOption('year', values.year, 0, { min: 1900, max: 2100, integer: true });
  if (
    year !== undefined &&
    product.years &&
    !product.years.includes(year) &&
    values['base-url'] === undefined
  )
    throw new UsageError(
      `--year ${year}: ${product.title} publishes ${product.years[0]}–${product.years.at(-1)} at its default address.`,
    );
  const baseUrl = values['base-url'] ?? product.defaultBaseUrl;
  if (!baseUrl)
    throw new UsageError(
      `--product ${family} needs --base-url (the embeddings GeoTIFF or collection to cut).`,
    );
  if (!URL.canParse(baseUrl)) throw new UsageError(`--base-url "${baseUrl}" is not a URL.`);
  const res = numberOption('res', values.res, 10, { min: 10, max: 10_000 });
  options.embeddings = { family, year, baseUrl, res };
  if (!options.scenes && !existsSync(path.join(outDir, CATALOG_FILE)))
    throw new UsageError(
      `--out ${values.out} holds no pack (no ${CATALOG_FILE}): give --datetime to fetch its scenes too, or --out an existing pack.`,
    );
  return options;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return EXIT.ok;
  }
  const { outDir, bbox, scenes, embeddings } = parsePackFetchArgs(args);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const say = (message: string) => console.error(message);
  const result = await writeSwapped(outDir, async (dir) => {
    let pack: FetchPackResult | undefined;
    if (scenes)
      pack = await fetchPack(
        {
          endpoint: scenes.stac,
          collection: scenes.collection,
          bbox,
          datetime: scenes.datetime,
          months: scenes.months,
          signal: controller.signal,
          onProgress: say,
          ...(scenes.maxCloud === undefined ? {} : { maxCloudCover: scenes.maxCloud }),
        },
        async (file, bytes) => {
          const target = path.join(dir, file);
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, bytes);
        },
      );
    // Embeddings only: the existing pack is copied in first, so its scenes stay as they were.
    else await cp(outDir, dir, { recursive: true });
    const cut = embeddings
      ? await cutEmbeddingsIntoPack({
          dir,
          bbox,
          ...embeddings,
          signal: controller.signal,
          onProgress: (p) => say(`${p.stage} ${p.done}/${p.total} (${p.bytes} bytes)`),
        })
      : undefined;
    return { pack, cut };
  });
  const { pack, cut } = result;
  console.log(
    JSON.stringify({
      out: outDir,
      ...(pack
        ? {
            items: pack.itemIds,
            files: pack.files.length,
            bytesWritten: pack.totalBytes,
            bytesFetched: pack.stats.bytes,
            requests: pack.stats.requests,
          }
        : {}),
      ...(cut
        ? {
            embeddings: {
              title: cut.entry.title,
              href: cut.entry.href,
              dim: cut.entry.dim,
              width: cut.width,
              height: cut.height,
              epsg: cut.epsg,
              validFraction: cut.validFraction,
              bytesWritten: cut.files.reduce((n, f) => n + f.bytes, 0),
              bytesFetched: cut.fetched.bytes,
              requests: cut.fetched.requests,
            },
          }
        : {}),
    }),
  );
  return 0;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = fail(error);
    },
  );
}
