import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openTiff } from '../../src/lib/cog/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { DnConvention, DroppedFile, SceneRequest } from '../../src/lib/scene/index.ts';
import {
  CONVENTION_UNKNOWN,
  fileFacts,
  groupFilesByDate,
  type InspectedFile,
  inspectTiff,
  parseBandList,
} from '../../src/lib/scene/index.ts';
import type { BandKey } from '../../src/lib/stac/index.ts';
import { UsageError } from './exit-codes.ts';
import { asUsage, inputFile } from './validate.ts';

/** `--convention`: the app's three, plus "offset" for offset-1000 (BOA_ADD_OFFSET -1000). */
const CONVENTION_FLAGS: Readonly<Record<string, DnConvention>> = {
  'offset-1000': 'offset-1000',
  offset: 'offset-1000',
  'no-offset': 'no-offset',
  reflectance: 'reflectance',
};

export function conventionOption(text: string | undefined): DnConvention | undefined {
  if (text === undefined) return undefined;
  const convention = CONVENTION_FLAGS[text];
  if (!convention)
    throw new UsageError(
      `Unknown --convention ${text}; choose offset (= offset-1000: baseline 04.00+, BOA_ADD_OFFSET -1000), no-offset or reflectance.`,
    );
  return convention;
}

/** `--bands B02,B03,-,B08`: the band of each sample of a multi-band file (null = skip it). */
export function bandsOption(text: string | undefined): (BandKey | null)[] | undefined {
  if (text === undefined) return undefined;
  return asUsage(() => parseBandList(text), '--bands: ').map((n) => (n.kind === 'band' ? n.band : null));
}

/** `--dates A,B,C` or `--date A`: one date per file, or one for all. */
function datesOption(
  date: string | undefined,
  dates: string | undefined,
  count: number,
): string[] | undefined {
  if (date !== undefined && dates !== undefined)
    throw new UsageError('Give --date (one date for all files) or --dates (one per file), not both.');
  if (date !== undefined) return Array.from({ length: count }, () => date);
  return dates?.split(',').map((d) => d.trim());
}

export interface FileOptions {
  convention?: string | undefined;
  bands?: string | undefined;
  date?: string | undefined;
  dates?: string | undefined;
  /** The model is told each date's month: a date no file states is asked for before any read. */
  needsDates?: boolean | undefined;
}

/** One labelled scene request per date. */
export interface DateStep {
  label: string;
  request: SceneRequest;
}

/**
 * GeoTIFF sources as dates: every file is inspected (band descriptions, dates, convention),
 * files are grouped into dates (--dates, --date, or what they state), and each date becomes
 * one files request. Everything is checked here, before a pixel is read; an unknown
 * convention is a usage error that names --convention.
 */
export async function fileSteps(paths: readonly string[], options: FileOptions): Promise<DateStep[]> {
  const convention = conventionOption(options.convention);
  const bands = bandsOption(options.bands);
  const dates = datesOption(options.date, options.dates, paths.length);
  const inspected: InspectedFile[] = [];
  for (const path of paths) {
    const full = inputFile(path, 'source');
    const name = basename(full);
    const file: DroppedFile = { name, file: new Blob([readFileSync(full)]) };
    const inspection = await inspectTiff(await openTiff({ kind: 'file', file: file.file, name }), name);
    if (bands && inspection.samples > 1) {
      if (bands.length !== inspection.samples)
        throw new UsageError(
          `--bands names ${bands.length} band(s) but ${name} holds ${inspection.samples}.`,
        );
      file.bands = bands;
    }
    inspected.push({ file, inspection });
  }
  if (bands && !inspected.some((f) => f.file.bands))
    throw new UsageError(
      '--bands applies to multi-band files; these files hold one band each (named by their file names).',
    );
  const groups = asUsage(
    () => groupFilesByDate(inspected, dates),
    dates ? (options.date ? '--date: ' : '--dates: ') : '',
  );
  return groups.map((group) => {
    const inspections = inspected.filter((f) => group.files.includes(f.file)).map((f) => f.inspection);
    const date = group.given ? group.date : undefined;
    let resolved: DnConvention;
    try {
      resolved = fileFacts(inspections, { convention, date }).convention;
    } catch (error) {
      if (error instanceof AppError && error.message === CONVENTION_UNKNOWN)
        throw new UsageError(
          `${group.files.map((f) => f.name).join(', ')}: the files do not say how their numbers relate to reflectance; give --convention offset (baseline 04.00+, BOA_ADD_OFFSET -1000), no-offset (before 04.00) or reflectance (0..1).`,
        );
      if (error instanceof AppError && error.code === 'bad-input') throw new UsageError(error.message);
      throw error;
    }
    if (options.needsDates && !group.date)
      throw new UsageError(
        `${group.files.map((f) => f.name).join(', ')}: this model needs the acquisition date, which the files do not state (metadata or name); give --date YYYY-MM-DD (or --dates, one per file).`,
      );
    const label = group.date ?? group.files.map((f) => f.name).join(', ');
    return {
      label,
      request: { kind: 'files', files: group.files, convention: resolved, ...(date ? { date } : {}) },
    };
  });
}
