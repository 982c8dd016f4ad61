/**
 * `npm run pack:fetch -- --bbox W,S,E,N --datetime A/B [--max-cloud N] [--months]
 *   [--stac URL] [--collection ID] --out packs/NAME`
 * Searches a STAC API (Earth Search by default), cuts the area out of every band + SCL of the
 * best scene (or the best scene per month) with HTTP range requests and writes a pack: one COG
 * per band and item, and catalog.json with relative hrefs. The folder is replaced only once the
 * whole pack is written: a failed fetch leaves the previous pack as it was.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchPack } from '../src/lib/pack/fetch-pack.ts';
import { DEFAULT_COLLECTION, EARTH_SEARCH_URL } from '../src/lib/stac/search.ts';
import { EXIT, EXIT_CODES_HELP } from './cli/exit-codes.ts';
import { fail } from './cli/io.ts';
import { bboxOption, datetimeOption, numberOption, parseOptions, requireOptions } from './cli/validate.ts';

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

${EXIT_CODES_HELP}`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return EXIT.ok;
  }
  const { values } = parseOptions(args, {
    bbox: { type: 'string' },
    datetime: { type: 'string' },
    'max-cloud': { type: 'string' },
    months: { type: 'boolean', default: false },
    stac: { type: 'string', default: EARTH_SEARCH_URL },
    collection: { type: 'string', default: DEFAULT_COLLECTION },
    out: { type: 'string' },
  });
  requireOptions(values, ['bbox', 'datetime', 'out'], usage);
  const bbox = bboxOption(values.bbox!);
  const datetime = datetimeOption(values.datetime!);
  const maxCloud =
    values['max-cloud'] === undefined
      ? undefined
      : numberOption('max-cloud', values['max-cloud'], 100, { min: 0, max: 100 });
  const outDir = path.resolve(values.out!);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const request = {
    endpoint: values.stac,
    collection: values.collection,
    bbox,
    datetime,
    months: values.months,
    signal: controller.signal,
    onProgress: (message: string) => console.error(message),
    ...(maxCloud === undefined ? {} : { maxCloudCover: maxCloud }),
  };
  const result = await writeSwapped(outDir, (dir) =>
    fetchPack(request, async (file, bytes) => {
      const target = path.join(dir, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }),
  );
  console.log(
    JSON.stringify({
      out: outDir,
      items: result.itemIds,
      files: result.files.length,
      bytesWritten: result.totalBytes,
      bytesFetched: result.stats.bytes,
      requests: result.stats.requests,
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
