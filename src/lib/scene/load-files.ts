import type { GeoTIFF } from 'geotiff';
import { imagePyramid } from '../cog/georef.ts';
import { openTiff } from '../cog/open-tiff.ts';
import { readBandOnGrid } from '../cog/read-band.ts';
import { tiffError } from '../cog/tiff-error.ts';
import { gridForArea } from '../cog/window.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import type { ReflectanceBand } from '../stac/bands.ts';
import { bandFromFileName } from './file-bands.ts';
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

/**
 * Opens dropped GeoTIFFs (COG or not: stripped, LZW, Float32 all work; UTM, EPSG:4326 or
 * EPSG:3857) as one scene on the grid of the finest file. The band of a single-band file
 * comes from its name; a multi-band file needs `bands` (one entry per sample, null = skip).
 */
export async function loadFileScene(
  files: DroppedFile[],
  convention: DnConvention,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
): Promise<Scene> {
  if (files.length === 0) throw new AppError('bad-input', 'No files were given.');
  const byBand = new Map<ReflectanceBand, { name: string; tiff: GeoTIFF; sample: number | undefined }>();
  const unknown: string[] = [];
  for (const f of files) {
    const tiff = await openTiff({ kind: 'file', file: f.file, name: f.name }, signal);
    let samples: number;
    try {
      samples = (await tiff.getImage(0)).getSamplesPerPixel();
    } catch (error) {
      // geotiff.js parses the image directory here: a damaged one throws its own words.
      throw tiffError(error, f.name, signal);
    }
    // The band of each sample: as the user said (the multi-band dialog), else from the name.
    const named = bandFromFileName(f.name);
    const mapping = f.bands ?? (samples === 1 ? [named ?? null] : undefined);
    if (!mapping) {
      throw new AppError(
        'bad-input',
        `${f.name} holds ${samples} bands; say which Sentinel-2 band each one is (B02, B03, B04, ...).`,
      );
    }
    if (mapping.length !== samples)
      throw new AppError('bad-input', `${f.name} holds ${samples} band(s) but ${mapping.length} were named.`);
    mapping.forEach((band, sample) => {
      if (band && band !== 'scl' && SCENE_BANDS.includes(band))
        byBand.set(band, { name: f.name, tiff, sample: samples === 1 ? undefined : sample });
      else if (!band && !f.bands) unknown.push(f.name);
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
  const bands = SCENE_BANDS.filter((b) => byBand.has(b));
  const opened = [];
  for (const band of bands) {
    const f = byBand.get(band)!;
    opened.push({ band, ...f, georef: (await imagePyramid(f.tiff, f.name))[0]!.georef });
  }
  const finest = [...opened].sort((a, b) => a.georef.transform.resX - b.georef.transform.resX)[0]!;
  const grid = gridForArea(finest.georef, undefined);
  const { scale, offset, label } = CONVENTIONS[convention];
  const reflectance: Float32Array[] = [];
  for (const [index, o] of opened.entries()) {
    throwIfAborted(signal, 'Reading the files');
    const values = await readBandOnGrid(o.tiff, grid, o.name, {
      method: 'bilinear',
      signal,
      sample: o.sample,
    });
    // A stored 0 is nodata for Sentinel-2 DN files even when the file does not say so.
    if (convention !== 'reflectance')
      for (let i = 0; i < values.length; i++) if (values[i] === 0) values[i] = Number.NaN;
    reflectance.push(applyScaleOffset(values, scale, offset));
    onProgress({ stage: 'read', done: index + 1, total: opened.length, message: `Read ${o.name}` });
  }
  const { valid, fraction } = validityMask(reflectance, undefined);
  const names = files.map((f) => f.name).join(', ');
  return {
    id: `files:${names}`,
    title: `${files.length} file(s): ${names} (${label})`,
    datetime: '',
    source: 'files',
    grid,
    bands,
    reflectance,
    valid,
    validFraction: fraction,
    maskDescription: 'nodata only (no SCL band)',
  };
}
