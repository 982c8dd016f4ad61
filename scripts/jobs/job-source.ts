import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStaticServer } from '../../server/static-server.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { BBox } from '../../src/lib/geo/index.ts';
import type { JobSource } from '../../src/lib/jobs/index.ts';
import { DEFAULT_RETRY, fetchJson } from '../../src/lib/net/index.ts';
import type { SceneItem } from '../../src/lib/stac/index.ts';
import {
  chooseScene,
  DEFAULT_COLLECTION,
  parseItemCollection,
  searchItems,
} from '../../src/lib/stac/index.ts';

/** Bands every scene the app encodes must have (as loadScene asks). */
const REQUIRED = ['red', 'green', 'blue'] as const;

/**
 * A job's source items. `plan` resolves the source once (a pack's catalog, or a STAC search)
 * and chooses the scene (the same choice `embed` makes for the area); every shard then reads
 * exactly those items, so no shard searches and all tiles come from the same acquisition.
 * A pack is served on 127.0.0.1 while it is read, as `embed` reads it (same STAC and
 * range-request code as the browser).
 */
export interface OpenedSource {
  items: SceneItem[];
  close(): Promise<void>;
}

async function servePack(dir: string): Promise<{ items: SceneItem[]; close(): Promise<void> }> {
  const full = resolve(dir);
  if (!statSync(full, { throwIfNoEntry: false })?.isDirectory())
    throw new AppError('not-found', `The pack ${dir} does not exist (or is not a folder).`);
  if (!existsSync(join(full, 'catalog.json')))
    throw new AppError('not-found', `${dir} is a folder without catalog.json: not a pack.`);
  const { server, url } = await startStaticServer({ mounts: [{ prefix: '/pack/', dir: full }] });
  const close = () => new Promise<void>((done) => server.close(() => done()));
  try {
    const catalogUrl = `${url}/pack/catalog.json`;
    const json = await fetchJson(
      catalogUrl,
      {},
      { service: 'the pack server', timeoutMs: 15_000, retry: DEFAULT_RETRY },
    );
    const { items } = parseItemCollection(json, catalogUrl, `Pack ${dir}`);
    if (items.length === 0) throw new AppError('bad-input', `Pack ${dir} has no items.`);
    return { items, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function pick(items: readonly SceneItem[], ids: readonly string[], where: string): SceneItem[] {
  return ids.map((id) => {
    const item = items.find((i) => i.id === id);
    if (!item) throw new AppError('not-found', `${where} has no item ${id}, which the plan names.`);
    return item;
  });
}

/** Whether an ISO date-time lies in a START/END interval ('..' = open end). */
function withinInterval(datetime: string, interval: string): boolean {
  const [start, end] = interval.split('/');
  const t = Date.parse(datetime);
  return (start === '..' || t >= Date.parse(start!)) && (end === '..' || t <= Date.parse(end!));
}

export interface SourceQuery {
  /** A pack folder or a STAC API URL. */
  source: string;
  bbox: BBox;
  datetime: string | undefined;
  maxCloud: number;
}

/** At plan time: the source, searched once, and the chosen items (with their JSON for STAC). */
export async function planSource(query: SourceQuery): Promise<{ source: JobSource } & OpenedSource> {
  if (/^https?:\/\//.test(query.source)) {
    if (!query.datetime) throw new AppError('bad-input', 'A STAC source needs --datetime START/END.');
    const found = await searchItems({
      endpoint: query.source,
      collection: DEFAULT_COLLECTION,
      bbox: query.bbox,
      datetime: query.datetime,
      maxCloudCover: query.maxCloud,
      maxItems: 200,
      retry: DEFAULT_RETRY,
    });
    if (found.length === 0)
      throw new AppError(
        'bad-input',
        `The search at ${query.source} found no scene for this area and dates.`,
      );
    const items = chooseScene(found, REQUIRED, query.bbox);
    return {
      source: {
        kind: 'stac',
        endpoint: query.source,
        collection: DEFAULT_COLLECTION,
        datetime: query.datetime,
        maxCloud: query.maxCloud,
        itemIds: items.map((i) => i.id),
        items: items.map((i) => i.raw ?? {}),
      },
      items,
      close: async () => undefined,
    };
  }
  const pack = await servePack(query.source);
  const inTime = query.datetime
    ? pack.items.filter((i) => withinInterval(i.datetime, query.datetime!))
    : pack.items;
  if (inTime.length === 0) {
    await pack.close();
    throw new AppError(
      'bad-input',
      `No scene of the pack ${query.source} lies in --datetime ${query.datetime} (it holds ${pack.items.map((i) => i.datetime.slice(0, 10)).join(', ')}).`,
    );
  }
  const items = chooseScene(inTime, REQUIRED, query.bbox);
  return {
    source: { kind: 'pack', path: resolve(query.source), itemIds: items.map((i) => i.id) },
    items,
    close: pack.close,
  };
}

/** At run time: exactly the plan's items (a pack served again; a STAC source's items from the plan). */
export async function openPlanSource(source: JobSource, where: string): Promise<OpenedSource> {
  if (source.kind === 'stac') {
    const { items } = parseItemCollection(
      { type: 'FeatureCollection', features: source.items },
      source.endpoint,
      `The source items of ${where}`,
    );
    return { items: pick(items, source.itemIds, where), close: async () => undefined };
  }
  const pack = await servePack(source.path);
  return { items: pick(pack.items, source.itemIds, `Pack ${source.path}`), close: pack.close };
}
