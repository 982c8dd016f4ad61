import type { SceneClient } from '../lib/clients/index.ts';
import { sameGrid } from '../lib/encoder/index.ts';
import { AppError } from '../lib/errors.ts';
import type { Scene, SceneListing, SceneProgress, SceneRequest } from '../lib/scene/index.ts';
import { givenDateGroups, type YearlyCadence, yearlyMonths } from '../lib/scene/index.ts';

export { sameGrid };

/** A source the app can read again at another date: a pack or a STAC search, not dropped files. */
export function rereadable(
  request: SceneRequest | undefined,
  what: string,
): Exclude<SceneRequest, { kind: 'files' }> {
  if (!request || request.kind === 'files')
    throw new AppError(
      'bad-input',
      `${what} needs other dates of the same area: open a pack or a STAC search, not dropped files.`,
    );
  return request;
}

/** The scene of these items on the grid of `scene`; an error when it lies elsewhere. */
export async function loadOtherDate(
  client: SceneClient,
  request: Exclude<SceneRequest, { kind: 'files' }>,
  itemIds: string[],
  scene: Scene,
  label: string,
  onProgress: (p: SceneProgress) => void,
  signal: AbortSignal,
): Promise<Scene> {
  const other = await client.load({ ...request, itemIds }, onProgress, signal);
  if (!sameGrid(other.grid, scene.grid))
    throw new AppError(
      'bad-input',
      `The scene of ${label} lies on another grid (EPSG:${other.grid.epsg}, ${other.grid.width} x ${other.grid.height}) than the one on screen: this needs the same tile.`,
    );
  return other;
}

/**
 * Yearly mode: the best scene of each of the last 12 months of the search (or of each half of
 * those months: up to 24 dates), oldest first.
 */
export async function loadSeries(
  client: SceneClient,
  request: SceneRequest | undefined,
  dates: { listing: SceneListing | undefined; cadence: YearlyCadence },
  scene: Scene,
  onProgress: (month: string, done: number, total: number, p: SceneProgress) => void,
  signal: AbortSignal,
): Promise<Scene[]> {
  if (request?.kind === 'files') return loadFileDates(client, request, scene, onProgress, signal);
  const source = rereadable(request, 'Yearly mode');
  const months = yearlyMonths(dates.listing, dates.cadence);
  const scenes: Scene[] = [];
  for (const [i, month] of months.entries()) {
    const report = (p: SceneProgress) => onProgress(month.month, i, months.length, p);
    scenes.push(await loadOtherDate(client, source, month.itemIds, scene, month.month, report, signal));
  }
  return scenes;
}

/** Dropped files of several dates (the dialog's per-file dates): one scene per date, oldest first. */
async function loadFileDates(
  client: SceneClient,
  request: Extract<SceneRequest, { kind: 'files' }>,
  scene: Scene,
  onProgress: (date: string, done: number, total: number, p: SceneProgress) => void,
  signal: AbortSignal,
): Promise<Scene[]> {
  const groups = givenDateGroups(request.files);
  if (groups.length < 2)
    throw new AppError(
      'bad-input',
      'Several dates need files of several dates: tick "Several dates" in the files dialog and give each file its date.',
    );
  const scenes: Scene[] = [];
  for (const [i, group] of groups.entries()) {
    const date = group.date ?? '';
    const other = await client.load(
      { ...request, files: group.files },
      (p) => onProgress(date, i, groups.length, p),
      signal,
    );
    if (!sameGrid(other.grid, scene.grid))
      throw new AppError(
        'bad-input',
        `The files of ${date} lie on another grid (EPSG:${other.grid.epsg}, ${other.grid.width} x ${other.grid.height}) than those on screen: every date must cover the same pixels.`,
      );
    scenes.push(other);
  }
  return scenes;
}
