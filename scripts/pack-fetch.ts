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
import { parseArgs } from 'node:util';
import { AppError, serializeError } from '../src/lib/errors.ts';
import type { BBox } from '../src/lib/geo/geotransform.ts';
import { fetchPack } from '../src/lib/pack/fetch-pack.ts';
import { DEFAULT_COLLECTION, EARTH_SEARCH_URL } from '../src/lib/stac/search.ts';

export function parseBBox(text: string): BBox {
  const parts = text.split(',').map(Number);
  const [w, s, e, n] = parts;
  if (parts.length !== 4 || !parts.every(Number.isFinite) || w! >= e! || s! >= n! || s! < -90 || n! > 90)
    throw new AppError('bad-input', `--bbox '${text}' must be W,S,E,N in degrees with W < E and S < N.`);
  return [w!, s!, e!, n!];
}

export function parseDatetime(text: string): string {
  const [a, b] = text.split('/');
  const ok = (s: string | undefined) => s === '..' || (s !== undefined && !Number.isNaN(Date.parse(s)));
  if (!ok(a) || !ok(b))
    throw new AppError(
      'bad-input',
      `--datetime '${text}' must be an interval A/B, e.g. 2022-06-01/2022-08-31.`,
    );
  // Plain dates become whole days in UTC.
  const full = (s: string, end: boolean) =>
    /^\d{4}-\d\d-\d\d$/.test(s) ? `${s}T${end ? '23:59:59' : '00:00:00'}Z` : s;
  return `${full(a!, false)}/${full(b!, true)}`;
}

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

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      bbox: { type: 'string' },
      datetime: { type: 'string' },
      'max-cloud': { type: 'string' },
      months: { type: 'boolean', default: false },
      stac: { type: 'string', default: EARTH_SEARCH_URL },
      collection: { type: 'string', default: DEFAULT_COLLECTION },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.bbox || !values.datetime || !values.out)
    throw new AppError(
      'bad-input',
      'usage: npm run pack:fetch -- --bbox W,S,E,N --datetime A/B [--max-cloud N] [--months] [--stac URL] --out packs/NAME',
    );
  const maxCloud = values['max-cloud'] === undefined ? undefined : Number(values['max-cloud']);
  if (maxCloud !== undefined && !(maxCloud >= 0 && maxCloud <= 100))
    throw new AppError('bad-input', `--max-cloud '${values['max-cloud']}' must be a percentage 0..100.`);
  const outDir = path.resolve(values.out);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const request = {
    endpoint: values.stac,
    collection: values.collection,
    bbox: parseBBox(values.bbox),
    datetime: parseDatetime(values.datetime),
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
      const e = serializeError(error);
      console.error(`pack:fetch: ${e.message}`);
      process.exitCode = e.code === 'bad-input' || e.code === 'not-found' ? 2 : 1;
    },
  );
}
