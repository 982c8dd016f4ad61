import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { startStaticServer } from '../../server/static-server.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { SceneRequest } from '../../src/lib/scene/scene.ts';
import { DEFAULT_COLLECTION } from '../../src/lib/stac/search.ts';
import { parseBBox } from '../../src/lib/state/area.ts';

/**
 * The scene request for `--source`: a pack folder (served on 127.0.0.1 so it is read through the
 * same STAC + range-request path as in the browser), GeoTIFF files, or a STAC API URL with
 * --bbox and --datetime. Returns a close() for whatever it started.
 */
export async function sourceRequest(
  sources: string[],
  options: { bbox?: string; datetime?: string; maxCloud?: string; convention?: string },
): Promise<{ request: SceneRequest; close: () => Promise<void> }> {
  const [first] = sources;
  if (!first)
    throw new AppError('bad-input', '--source is required: a pack folder, GeoTIFF files, or a STAC API URL.');
  if (/^https?:\/\//.test(first)) {
    if (!options.bbox || !options.datetime)
      throw new AppError('bad-input', 'A STAC source needs --bbox W,S,E,N and --datetime START/END.');
    const request: SceneRequest = {
      kind: 'stac',
      endpoint: first,
      collection: DEFAULT_COLLECTION,
      area: parseBBox(options.bbox),
      datetime: options.datetime,
      maxCloudCover: Number(options.maxCloud ?? 30),
    };
    return { request, close: async () => undefined };
  }
  const info = statSync(resolve(first), { throwIfNoEntry: false });
  if (!info) throw new AppError('not-found', `--source ${first} does not exist.`);
  if (info.isDirectory()) {
    const { server, url } = await startStaticServer({ mounts: [{ prefix: '/pack/', dir: resolve(first) }] });
    return {
      request: { kind: 'pack', catalogUrl: `${url}/pack/catalog.json` },
      close: () => new Promise((done) => server.close(() => done())),
    };
  }
  const convention = options.convention ?? 'offset-1000';
  if (convention !== 'offset-1000' && convention !== 'no-offset' && convention !== 'reflectance') {
    throw new AppError('bad-input', '--convention must be offset-1000, no-offset or reflectance.');
  }
  const files = sources.map((path) => ({
    name: basename(path),
    file: new Blob([readFileSync(resolve(path))]),
  }));
  return { request: { kind: 'files', files, convention }, close: async () => undefined };
}
