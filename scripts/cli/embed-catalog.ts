import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStaticServer } from '../../server/static-server.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { SceneListRequest, SceneRequest } from '../../src/lib/scene/index.ts';
import {
  checkLoadResolution,
  type LoadResolution,
  listScenes,
  type SceneListing,
  yearlyMonths,
} from '../../src/lib/scene/index.ts';
import { DEFAULT_COLLECTION } from '../../src/lib/stac/index.ts';
import type { DateStep } from './embed-files.ts';
import { UsageError } from './exit-codes.ts';
import { progress } from './io.ts';
import { asUsage, bboxOption, datetimeOption, numberOption } from './validate.ts';

export interface CatalogOptions {
  bbox?: string | undefined;
  datetime?: string | undefined;
  maxCloud?: string | undefined;
  item?: string | undefined;
  dates?: string | undefined;
  yearly?: boolean | undefined;
  res?: string | undefined;
}

/** `--res METRES`: the app's load resolution (res_m): 10, 20, 40, 80 or 160, read from COG overviews. */
export function resOption(text: string | undefined): LoadResolution | undefined {
  if (text === undefined) return undefined;
  return asUsage(() => checkLoadResolution(Number(text)), '--res: ');
}

type Catalog = Exclude<SceneRequest, { kind: 'files' }>;

const report = (p: { stage: string; done: number; total: number; message: string }) =>
  progress(p.stage, p.done, p.total, { message: p.message });

/** The days of `--dates` (YYYY-MM-DD), or every day the catalog holds for "all". */
function pickedDays(text: string, listing: SceneListing): string[] {
  if (text.trim() === 'all') return [...new Set(listing.scenes.map((s) => s.datetime.slice(0, 10)))].sort();
  return text.split(',').map((d) => {
    const day = d.trim();
    if (!/^\d{4}-\d\d-\d\d$/.test(day) || Number.isNaN(Date.parse(day)))
      throw new UsageError(`--dates "${d}": give days as YYYY-MM-DD (or --dates all).`);
    return day;
  });
}

/** "S2A_32TQS_20220610 (2022-06-10), ...": what a catalog holds, for messages. */
function holdings(listing: SceneListing): string {
  return [...listing.scenes]
    .sort((a, b) => a.datetime.localeCompare(b.datetime) || a.id.localeCompare(b.id))
    .map((s) => `${s.id} (${s.datetime.slice(0, 10)})`)
    .join(', ');
}

/**
 * The dates a pack or STAC search gives: one item (`--item`), items of chosen days
 * (`--dates`, tiles of one day mosaicked as the app does), the best scene of each of the
 * last 12 months (`--yearly`, the app's yearly mode), or the only scene. A catalog with
 * several scenes and no choice is an error listing them: one is never opened silently.
 */
async function catalogSteps(
  base: Catalog,
  listRequest: SceneListRequest,
  where: string,
  options: CatalogOptions,
): Promise<DateStep[]> {
  const chosen = [options.item !== undefined, options.dates !== undefined, options.yearly === true].filter(
    Boolean,
  );
  if (chosen.length > 1) throw new UsageError('Give one of --item, --dates and --yearly.');
  const listing = await listScenes(listRequest, report);
  const step = (label: string, itemIds: string[]): DateStep => ({ label, request: { ...base, itemIds } });
  if (options.item !== undefined)
    return options.item.split(',').map((id) => {
      const scene = listing.scenes.find((s) => s.id === id.trim());
      if (!scene)
        throw new UsageError(`--item ${id}: ${where} has no such scene; it holds ${holdings(listing)}.`);
      return step(scene.datetime.slice(0, 10), [scene.id]);
    });
  if (options.dates !== undefined)
    return pickedDays(options.dates, listing).map((day) => {
      // Tiles of that day that cover the area (all of them when no area is given), mosaicked.
      const ids = listing.scenes
        .filter((s) => s.datetime.startsWith(day) && (!listRequest.area || s.coverage > 0))
        .map((s) => s.id);
      if (!ids.length)
        throw new UsageError(
          `--dates ${day}: ${where} has no scene that day; it holds ${holdings(listing)}.`,
        );
      return step(day, ids);
    });
  if (options.yearly) return asUsage(() => yearlyMonths(listing)).map((m) => step(m.month, m.itemIds));
  const days = new Set(listing.scenes.map((s) => s.datetime.slice(0, 10)));
  if (days.size > 1)
    throw new UsageError(
      `${where} holds ${listing.scenes.length} scenes of ${days.size} dates: ${holdings(listing)}. Say which: --item ID (one), --dates D1,D2 or --dates all (several dates), or --yearly (best scene per month).`,
    );
  return [step(listing.scenes[0]?.datetime.slice(0, 10) ?? '', listing.defaultIds)];
}

/** Options that mean nothing for this kind of source are refused, not ignored. */
export function refuse(given: Record<string, unknown>, source: string): void {
  const flags = Object.entries(given).flatMap(([flag, value]) =>
    value === undefined || value === false ? [] : [`--${flag}`],
  );
  if (flags.length)
    throw new UsageError(`${flags.join(', ')} ${flags.length === 1 ? 'does' : 'do'} not apply to ${source}.`);
}

/** A STAC API search: --bbox, --datetime (and --max-cloud); --item, --dates or --yearly choose dates. */
export async function stacSteps(endpoint: string, options: CatalogOptions): Promise<DateStep[]> {
  if (!options.bbox || !options.datetime)
    throw new UsageError('A STAC source needs --bbox W,S,E,N and --datetime START/END.');
  const resolutionM = resOption(options.res);
  const search = {
    kind: 'stac' as const,
    endpoint,
    collection: DEFAULT_COLLECTION,
    area: bboxOption(options.bbox),
    datetime: datetimeOption(options.datetime),
    maxCloudCover: numberOption('max-cloud', options.maxCloud, 30, { min: 0, max: 100 }),
  };
  if (options.item === undefined && options.dates === undefined && !options.yearly)
    // A search without a choice opens the best scene, as the app's Find scenes preselects it.
    return [{ label: search.datetime, request: { ...search, ...(resolutionM ? { resolutionM } : {}) } }];
  return catalogSteps(
    { ...search, ...(resolutionM ? { resolutionM } : {}) },
    search,
    `The search at ${endpoint}`,
    options,
  );
}

/**
 * Pack folders, each served on 127.0.0.1 (read through the same STAC + range-request path as
 * in the browser; --bbox cuts them). Several folders: one date each. Returns a close() for
 * the server.
 */
export async function packSteps(
  folders: readonly string[],
  options: CatalogOptions,
): Promise<{ steps: DateStep[]; close: () => Promise<void> }> {
  for (const folder of folders)
    if (!existsSync(join(resolve(folder), 'catalog.json')))
      throw new AppError('not-found', `--source ${folder} is a folder without catalog.json: not a pack.`);
  if (folders.length > 1 && (options.item !== undefined || options.dates !== undefined || options.yearly))
    throw new UsageError(
      '--item, --dates and --yearly choose among the scenes of one pack; several packs are one date each.',
    );
  const area = options.bbox === undefined ? undefined : bboxOption(options.bbox);
  const resolutionM = resOption(options.res);
  const mounts = folders.map((folder, i) => ({ prefix: `/pack${i}/`, dir: resolve(folder) }));
  const { server, url } = await startStaticServer({ mounts });
  const close = () => new Promise<void>((done) => server.close(() => done()));
  try {
    const steps: DateStep[] = [];
    for (const [i, folder] of folders.entries()) {
      const catalogUrl = `${url}/pack${i}/catalog.json`;
      const base = {
        kind: 'pack' as const,
        catalogUrl,
        ...(area ? { area } : {}),
        ...(resolutionM ? { resolutionM } : {}),
      };
      steps.push(
        ...(await catalogSteps(
          base,
          { kind: 'pack', catalogUrl, ...(area ? { area } : {}) },
          `The pack ${folder}`,
          options,
        )),
      );
    }
    return { steps, close };
  } catch (error) {
    await close();
    throw error;
  }
}
