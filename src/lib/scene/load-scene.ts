import type { Pool } from 'geotiff';
import { AppError, serializeError } from '../errors.ts';
import type { BBox } from '../geo/index.ts';
import { closeRing, type LonLat, ringBBox } from '../geo/index.ts';
import { DEFAULT_RETRY, fetchJson } from '../net/index.ts';
import type { SceneItem } from '../stac/index.ts';
import {
  bestPerMonth,
  chooseScene,
  halfMonthOf,
  type MonthScene,
  parseItemCollection,
  type SceneSummary,
  searchItems,
  summarizeScenes,
  unionBox,
} from '../stac/index.ts';
import { formatWhen } from '../text/index.ts';
import { maskSceneToPolygon } from './aoi-mask.ts';
import { givenDateGroups } from './file-groups.ts';
import { loadFileScene } from './load-files.ts';
import { loadItemScene } from './load-item.ts';
import { checkLoadResolution } from './load-resolution.ts';
import { clipAreaToPack, clippedMessage } from './pack-area.ts';
import type { Scene, SceneListRequest, SceneProgress, SceneRequest } from './scene.ts';
import { type SceneStore, searchKey } from './scene-store.ts';
import { valueRange } from './value-range.ts';

const REQUIRED = ['red', 'green', 'blue'] as const;

/** The scene list for the UI: every match, the default choice and the best scene per month. */
export interface SceneListing {
  scenes: SceneSummary[];
  /** Item ids the default choice opens (several: tiles of one overpass, mosaicked). */
  defaultIds: string[];
  /** Best scene (or overpass) per calendar month, oldest first: for time series and change. */
  months: { month: string; itemIds: string[] }[];
  /** Best scene (or overpass) per half-month, oldest first: yearly mode's up to 24 dates. */
  halfMonths: { month: string; itemIds: string[] }[];
}

/** The best scene per month and per half-month of `items` over `area`, as item ids. */
function periods(items: SceneItem[], area: BBox): Pick<SceneListing, 'months' | 'halfMonths'> {
  const ids = (scenes: MonthScene[]) =>
    scenes.map((m) => ({ month: m.month, itemIds: m.items.map((i) => i.id) }));
  return {
    months: ids(bestPerMonth(items, area, REQUIRED)),
    halfMonths: ids(bestPerMonth(items, area, REQUIRED, halfMonthOf)),
  };
}

async function findItems(
  request: SceneListRequest,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
): Promise<SceneItem[]> {
  if (request.kind === 'stac') {
    onProgress({ stage: 'search', done: 0, total: 1, message: `Searching ${request.endpoint}` });
    return searchItems({
      endpoint: request.endpoint,
      collection: request.collection,
      bbox: request.area,
      // A drawn polygon narrows the search to scenes touching it, not just its bounding box.
      ...(request.polygon
        ? { intersects: { type: 'Polygon' as const, coordinates: [closeRing(request.polygon)] } }
        : {}),
      datetime: request.datetime,
      maxCloudCover: request.maxCloudCover,
      maxItems: 200,
      signal,
      ...(request.idleTimeoutMs ? { timeoutMs: request.idleTimeoutMs } : {}),
      onRetry: ({ status, delayMs }) =>
        onProgress({
          stage: 'search',
          done: 0,
          total: 1,
          message: `${status === 0 ? 'The connection to the STAC API was reset' : `The STAC API answered ${status}`}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
        }),
      retry: DEFAULT_RETRY,
    });
  }
  onProgress({ stage: 'search', done: 0, total: 1, message: `Opening ${request.catalogUrl}` });
  const json = await fetchJson(
    request.catalogUrl,
    {},
    { service: 'the pack server', signal, timeoutMs: 15_000, retry: DEFAULT_RETRY },
  );
  const { items } = parseItemCollection(json, request.catalogUrl, `Pack catalog ${request.catalogUrl}`);
  if (items.length === 0) throw new AppError('bad-input', `Pack catalog ${request.catalogUrl} has no items.`);
  return items;
}

/**
 * findItems, keeping its answer in the scene cache; when the server cannot be reached (offline,
 * timed out), the answer kept last time, with a note that says so and when it was saved.
 */
async function findItemsOrKept(
  request: SceneListRequest,
  onProgress: (p: SceneProgress) => void,
  signal: AbortSignal | undefined,
  cache: SceneStore | undefined,
): Promise<{ items: SceneItem[]; note?: string }> {
  const key = searchKey(request);
  try {
    const items = await findItems(request, onProgress, signal);
    cache?.keepItems(key, items);
    return { items };
  } catch (error) {
    const { code, message } = serializeError(error);
    const kept = code === 'network' || code === 'timeout' ? await cache?.storedItems(key) : undefined;
    if (!kept) throw error;
    return {
      items: kept.items,
      note: `Offline: the scene list saved on ${formatWhen(kept.savedAt)} is used (${message})`,
    };
  }
}

/** Scenes matching a search, for the scene list (no pixels read). */
export async function listScenes(
  request: SceneListRequest,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
): Promise<SceneListing> {
  const items = await findItems(request, onProgress, signal);
  const area =
    request.kind === 'pack' ? packArea(request.area, items, request.catalogUrl, onProgress) : request.area;
  if (!area) {
    const best = chooseScene(items, REQUIRED);
    // A pack opened whole: coverage and months are measured over the footprints of its items.
    const everywhere = summarizeScenes(items, 'footprints', REQUIRED);
    return { scenes: everywhere, defaultIds: best.map((i) => i.id), ...periods(items, unionBox(items)) };
  }
  return {
    scenes: summarizeScenes(items, area, REQUIRED),
    defaultIds: chooseScene(items, REQUIRED, area).map((i) => i.id),
    ...periods(items, area),
  };
}

function pick(items: SceneItem[], ids: readonly string[], where: string): SceneItem[] {
  return ids.map((id) => {
    const item = items.find((i) => i.id === id);
    if (!item) throw new AppError('not-found', `${where} has no scene ${id}.`);
    return item;
  });
}

/**
 * A drawn polygon over dropped files masks the pixels outside it. The files are read whole
 * (their grid is theirs), so the polygon may miss them entirely: that is an error naming both
 * extents, not an empty scene whose every later step would find nothing.
 */
function maskFilesToPolygon(scene: Scene, polygon: LonLat[]): Scene {
  const masked = maskSceneToPolygon(scene, polygon);
  if (masked.validFraction > 0) return masked;
  const [w, s, e, n] = ringBBox(polygon).map((v) => v.toFixed(4));
  throw new AppError(
    'bad-input',
    `The drawn polygon (${w}, ${s}, ${e}, ${n}) covers no valid pixel of the dropped file(s) ${scene.title}. Draw it over the files, or clear it to use the whole files.`,
  );
}

/** A pack's area cut to the pack for scene choice (see pack-area.ts), said in the progress when cut. */
function packArea(
  area: BBox | undefined,
  items: SceneItem[],
  catalogUrl: string,
  onProgress: (p: SceneProgress) => void,
): BBox | undefined {
  if (!area) return undefined;
  const clip = clipAreaToPack(area, items, `the pack ${catalogUrl}`);
  if (clip.clipped) onProgress({ stage: 'search', done: 0, total: 1, message: clippedMessage(clip.area) });
  return clip.area;
}

/**
 * source -> pixels: the one entry point the scene worker calls for every kind of source, with
 * the range of the values read (see Scene.valueRange).
 */
export async function loadScene(
  request: SceneRequest,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
  pool?: Pool,
  tiles?: SceneStore,
): Promise<Scene> {
  const scene = await readScene(request, onProgress, signal, pool, tiles);
  return { ...scene, valueRange: valueRange(scene.reflectance) };
}

async function readScene(
  request: SceneRequest,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
  pool?: Pool,
  tiles?: SceneStore,
): Promise<Scene> {
  // Dropped files keep their own grid: they are local (no bytes to save) and often not tiled COGs.
  if (request.kind === 'files') {
    // Files of several dates (the dialog's per-file dates): the newest is shown; yearly mode
    // encodes them all (app/other-dates.ts).
    const groups = givenDateGroups(request.files);
    const shown = groups.at(-1);
    const files = groups.length > 1 && shown ? shown.files : request.files;
    const date = shown?.date ?? request.date;
    const loaded = await loadFileScene(files, request.convention, onProgress, signal, { date });
    const scene =
      groups.length > 1
        ? {
            ...loaded,
            notes: [
              `${groups.length} dates (${groups.map((g) => g.date).join(', ')}): the newest is shown; Presto's and Galileo-nano's several-dates mode encodes them all.`,
              ...(loaded.notes ?? []),
            ],
          }
        : loaded;
    return request.polygon ? maskFilesToPolygon(scene, request.polygon) : scene;
  }
  const resolutionM =
    request.resolutionM === undefined ? undefined : checkLoadResolution(request.resolutionM);
  const { items, note } = await findItemsOrKept(request, onProgress, signal, tiles);
  const where = request.kind === 'stac' ? `The search at ${request.endpoint}` : `Pack ${request.catalogUrl}`;
  const ids = request.itemIds ?? (request.kind === 'pack' && request.itemId ? [request.itemId] : undefined);
  const area =
    request.kind === 'pack' ? packArea(request.area, items, request.catalogUrl, onProgress) : request.area;
  const chosen = ids ? pick(items, ids, where) : chooseScene(items, REQUIRED, area);
  onProgress({
    stage: 'search',
    done: 1,
    total: 1,
    message: `Found ${items.length} scene(s); opening ${chosen.map((i) => i.id).join(' + ')}`,
  });
  const scene = await loadItemScene(chosen, request.kind, request.area, onProgress, {
    signal,
    pool,
    sclMask: request.sclMask,
    tiles,
    resolutionM,
  });
  const masked = request.polygon ? maskSceneToPolygon(scene, request.polygon) : scene;
  return note ? { ...masked, cacheNote: note } : masked;
}
