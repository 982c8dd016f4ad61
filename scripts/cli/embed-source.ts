import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { startStaticServer } from '../../server/static-server.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { DnConvention, SceneRequest } from '../../src/lib/scene/scene.ts';
import { DEFAULT_COLLECTION } from '../../src/lib/stac/search.ts';
import { UsageError } from './exit-codes.ts';
import { bboxOption, choiceOption, datetimeOption, inputFile, numberOption } from './validate.ts';

interface SourceOptions {
  bbox?: string | undefined;
  datetime?: string | undefined;
  maxCloud?: string | undefined;
  convention?: string | undefined;
}

const CONVENTIONS: readonly DnConvention[] = ['offset-1000', 'no-offset', 'reflectance'];

/** Options that mean nothing for this kind of source are refused, not ignored. */
function refuse(options: SourceOptions, names: (keyof SourceOptions)[], source: string): void {
  const flag: Record<keyof SourceOptions, string> = {
    bbox: '--bbox',
    datetime: '--datetime',
    maxCloud: '--max-cloud',
    convention: '--convention',
  };
  const given = names.filter((n) => options[n] !== undefined).map((n) => flag[n]);
  if (given.length)
    throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply to ${source}.`);
}

/**
 * The scene request for `--source`: a pack folder (served on 127.0.0.1 so it is read through the
 * same STAC + range-request path as in the browser; --bbox cuts it), GeoTIFF files, or a STAC
 * API URL with --bbox and --datetime. Every option and file is checked before anything is read.
 * Returns a close() for whatever it started.
 */
export async function sourceRequest(
  sources: string[],
  options: SourceOptions,
): Promise<{ request: SceneRequest; close: () => Promise<void> }> {
  const [first] = sources;
  if (!first) throw new UsageError('--source is required: a pack folder, GeoTIFF files, or a STAC API URL.');
  if (/^https?:\/\//.test(first)) {
    if (sources.length > 1) throw new UsageError('--source takes one STAC API URL.');
    refuse(options, ['convention'], 'a STAC source');
    if (!options.bbox || !options.datetime)
      throw new UsageError('A STAC source needs --bbox W,S,E,N and --datetime START/END.');
    const request: SceneRequest = {
      kind: 'stac',
      endpoint: first,
      collection: DEFAULT_COLLECTION,
      area: bboxOption(options.bbox),
      datetime: datetimeOption(options.datetime),
      maxCloudCover: numberOption('max-cloud', options.maxCloud, 30, { min: 0, max: 100 }),
    };
    return { request, close: async () => undefined };
  }
  const info = statSync(resolve(first), { throwIfNoEntry: false });
  if (!info) throw new AppError('not-found', `--source ${first} does not exist.`);
  if (info.isDirectory()) {
    if (sources.length > 1) throw new UsageError('--source takes one pack folder (or GeoTIFF files).');
    refuse(options, ['datetime', 'maxCloud', 'convention'], 'a pack');
    const area = options.bbox === undefined ? undefined : bboxOption(options.bbox);
    if (!existsSync(join(resolve(first), 'catalog.json')))
      throw new AppError('not-found', `--source ${first} is a folder without catalog.json: not a pack.`);
    const { server, url } = await startStaticServer({ mounts: [{ prefix: '/pack/', dir: resolve(first) }] });
    return {
      request: { kind: 'pack', catalogUrl: `${url}/pack/catalog.json`, ...(area ? { area } : {}) },
      close: () => new Promise((done) => server.close(() => done())),
    };
  }
  refuse(options, ['bbox', 'datetime', 'maxCloud'], 'GeoTIFF files (they are read whole)');
  const convention = choiceOption('convention', options.convention, CONVENTIONS, 'offset-1000');
  const paths = sources.map((path) => inputFile(path, 'source'));
  const files = paths.map((path) => ({ name: basename(path), file: new Blob([readFileSync(path)]) }));
  return { request: { kind: 'files', files, convention }, close: async () => undefined };
}
