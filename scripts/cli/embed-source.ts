import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../src/lib/errors.ts';
import type { SceneRequest } from '../../src/lib/scene/index.ts';
import { type CatalogOptions, packSteps, refuse, stacSteps } from './embed-catalog.ts';
import { type DateStep, type FileOptions, fileSteps } from './embed-files.ts';
import { UsageError } from './exit-codes.ts';

export interface SourceOptions extends CatalogOptions, FileOptions {}

/** What `--source` resolves to: one scene request per date, oldest first once loaded. */
export interface ResolvedSources {
  kind: 'stac' | 'pack' | 'files';
  steps: DateStep[];
  close: () => Promise<void>;
}

/**
 * The dates of `--source`: GeoTIFF files (grouped into dates: --dates, --date or what they
 * state), pack folders (one date each, or --item/--dates/--yearly among one pack's scenes),
 * or a STAC API URL with --bbox and --datetime (--yearly: the best scene per month). Every
 * option and file is checked before a pixel is read; options that mean nothing for the kind
 * of source are refused, and no source or scene is ever silently left out.
 */
export async function resolveSources(
  sources: readonly string[],
  options: SourceOptions,
): Promise<ResolvedSources> {
  const [first] = sources;
  if (!first) throw new UsageError('--source is required: a pack folder, GeoTIFF files, or a STAC API URL.');
  const fileOnly = { convention: options.convention, bands: options.bands, date: options.date };
  if (/^https?:\/\//.test(first)) {
    if (sources.length > 1)
      throw new UsageError(
        '--source takes one STAC API URL; several dates of a search come from --yearly or --dates.',
      );
    refuse(fileOnly, 'a STAC source');
    return { kind: 'stac', steps: await stacSteps(first, options), close: async () => undefined };
  }
  const kinds = sources.map((source) => {
    const info = statSync(resolve(source), { throwIfNoEntry: false });
    if (!info) throw new AppError('not-found', `--source ${source} does not exist.`);
    return info.isDirectory() ? 'pack' : 'file';
  });
  if (new Set(kinds).size > 1)
    throw new UsageError('--source mixes pack folders and files; give one kind of source.');
  if (kinds[0] === 'pack') {
    refuse({ ...fileOnly, datetime: options.datetime, 'max-cloud': options.maxCloud }, 'a pack');
    const { steps, close } = await packSteps(sources, options);
    return { kind: 'pack', steps, close };
  }
  refuse(
    {
      bbox: options.bbox,
      datetime: options.datetime,
      'max-cloud': options.maxCloud,
      item: options.item,
      yearly: options.yearly,
    },
    'GeoTIFF files (they are read whole; their dates come from --date/--dates or the files)',
  );
  return { kind: 'files', steps: await fileSteps(sources, options), close: async () => undefined };
}

/**
 * The one scene request of `--source` (kept for callers that encode a single date): an
 * error when the sources hold several dates.
 */
export async function sourceRequest(
  sources: string[],
  options: SourceOptions,
): Promise<{ request: SceneRequest; close: () => Promise<void> }> {
  const resolved = await resolveSources(sources, options);
  const [only, ...more] = resolved.steps;
  if (!only || more.length) {
    await resolved.close();
    throw new UsageError(`--source holds ${resolved.steps.length} dates; this command encodes one.`);
  }
  return { request: only.request, close: resolved.close };
}
