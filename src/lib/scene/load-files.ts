import type { GeoTIFF } from 'geotiff';
import { gridForArea, imagePyramid, openTiff, readBandOnGrid } from '../cog/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import type { BandKey, ReflectanceBand } from '../stac/index.ts';
import { type BandName, bandLabel, parseBandName } from './band-names.ts';
import { fileFacts } from './file-facts.ts';
import { type FileInspection, inspectTiff } from './file-inspect.ts';
import { applyScaleOffset, validityMask } from './l2a.ts';
import { SCENE_BANDS } from './load-item.ts';
import type { DnConvention, DroppedFile, Scene, SceneProgress } from './scene.ts';

const CONVENTIONS: Record<DnConvention, { scale: number; offset: number; label: string }> = {
  'offset-1000': {
    scale: 0.0001,
    offset: -0.1,
    label: 'DN with the +1000 offset of processing baseline 04.00+',
  },
  'no-offset': { scale: 0.0001, offset: 0, label: 'DN without offset (baseline before 04.00)' },
  reflectance: { scale: 1, offset: 0, label: 'reflectance already' },
};

/** A band the user named in the dialog (or --bands): null skips the sample. */
function userBand(band: BandKey | null): BandName {
  if (band === null) return { kind: 'skip' };
  return parseBandName(bandLabel(band)) ?? { kind: 'skip' };
}

/** The band of each sample: as the user said, else as the file says; an error when neither tells. */
function sampleBands(f: DroppedFile, inspection: FileInspection, unknown: string[]): BandName[] {
  const { samples } = inspection;
  if (f.bands) {
    if (f.bands.length !== samples)
      throw new AppError('bad-input', `${f.name} holds ${samples} band(s) but ${f.bands.length} were named.`);
    return f.bands.map(userBand);
  }
  if (samples === 1) {
    const [band] = inspection.bands;
    if (!band) unknown.push(f.name);
    return [band ?? { kind: 'skip' }];
  }
  const unread = inspection.bands.flatMap((b, i) => (b ? [] : [i + 1]));
  if (unread.length === samples)
    throw new AppError(
      'bad-input',
      `${f.name} holds ${samples} bands and its band descriptions do not name them; say which Sentinel-2 band each one is (B02, B03, B04, ...).`,
    );
  if (unread.length)
    throw new AppError(
      'bad-input',
      `${f.name}: the description of band(s) ${unread.join(', ')} names no Sentinel-2 band; say which band each one is (B02, B03, B04, ...).`,
    );
  return inspection.bands as BandName[];
}

interface OpenedFile {
  name: string;
  tiff: GeoTIFF;
  sample: number | undefined;
}

/**
 * Opens dropped GeoTIFFs (COG or not: stripped, LZW, Float32 all work; UTM, EPSG:4326 or
 * EPSG:3857) as one scene (one date) on the grid of the finest file. The band of each sample
 * is the user's (`bands`), else the file's band descriptions, else (one band) its name; bands
 * no encoder reads (B01, B09, B10) are skipped with a note. The date and the convention are
 * the user's when given, else what the files' metadata or names say (see file-facts.ts).
 */
export async function loadFileScene(
  files: DroppedFile[],
  convention: DnConvention | undefined,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
  options: { date?: string | undefined } = {},
): Promise<Scene> {
  if (files.length === 0) throw new AppError('bad-input', 'No files were given.');
  const byBand = new Map<ReflectanceBand, OpenedFile>();
  const unknown: string[] = [];
  const skipped: string[] = [];
  const inspections: FileInspection[] = [];
  for (const f of files) {
    const tiff = await openTiff({ kind: 'file', file: f.file, name: f.name }, signal);
    const inspection = await inspectTiff(tiff, f.name, signal);
    inspections.push(inspection);
    const single = inspection.samples === 1;
    sampleBands(f, inspection, unknown).forEach((name, sample) => {
      if (name.kind === 'unused')
        skipped.push(`${single ? f.name : `${f.name} band ${sample + 1}`} (${name.code}, ${name.why})`);
      if (name.kind !== 'band' || name.band === 'scl' || !SCENE_BANDS.includes(name.band)) return;
      const before = byBand.get(name.band);
      if (before)
        throw new AppError(
          'bad-input',
          `${bandLabel(name.band)} is given twice (${before.name} and ${f.name}): one scene holds each band once; files of several dates are encoded as several dates.`,
        );
      byBand.set(name.band, { name: f.name, tiff, sample: single ? undefined : sample });
    });
  }
  if (unknown.length) {
    throw new AppError(
      'bad-input',
      `Cannot tell which Sentinel-2 band these files hold from their names: ${unknown.join(', ')}. Name them like B04.tif or red.tif.`,
    );
  }
  const missing = (['red', 'green', 'blue'] as const).filter((b) => !byBand.has(b));
  if (missing.length)
    throw new AppError(
      'bad-input',
      `The files lack the band(s) ${missing.join(', ')} (needed for true colour).`,
    );
  const facts = fileFacts(inspections, { convention, date: options.date });
  if (skipped.length) facts.notes.unshift(`Skipped, no encoder reads them: ${skipped.join('; ')}.`);
  const bands = SCENE_BANDS.filter((b) => byBand.has(b));
  const opened = [];
  for (const band of bands) {
    const f = byBand.get(band)!;
    opened.push({ band, ...f, georef: (await imagePyramid(f.tiff, f.name))[0]!.georef });
  }
  const finest = [...opened].sort((a, b) => a.georef.transform.resX - b.georef.transform.resX)[0]!;
  const grid = gridForArea(finest.georef, undefined);
  const { scale, offset, label } = CONVENTIONS[facts.convention];
  const reflectance: Float32Array[] = [];
  for (const [index, o] of opened.entries()) {
    throwIfAborted(signal, 'Reading the files');
    const values = await readBandOnGrid(o.tiff, grid, o.name, {
      method: 'bilinear',
      signal,
      sample: o.sample,
    });
    // A stored 0 is nodata for Sentinel-2 DN files even when the file does not say so.
    if (facts.convention !== 'reflectance')
      for (let i = 0; i < values.length; i++) if (values[i] === 0) values[i] = Number.NaN;
    reflectance.push(applyScaleOffset(values, scale, offset));
    onProgress({ stage: 'read', done: index + 1, total: opened.length, message: `Read ${o.name}` });
  }
  const { valid, fraction } = validityMask(reflectance, undefined);
  const names = files.map((f) => f.name).join(', ');
  const day = facts.datetime ? `, ${facts.datetime.slice(0, 10)}` : '';
  return {
    id: `files:${names}${day}`,
    title: `${files.length} file(s): ${names} (${label}${day})`,
    datetime: facts.datetime,
    source: 'files',
    grid,
    bands,
    reflectance,
    valid,
    validFraction: fraction,
    maskDescription: 'nodata only (no SCL band)',
    ...(facts.notes.length ? { notes: facts.notes } : {}),
  };
}
