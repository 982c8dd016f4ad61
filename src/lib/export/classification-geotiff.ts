/**
 * A classification as GeoTIFFs GDAL and QGIS read with its classes: a uint8 class band with
 * the class colours as its colour table and the class names both as band metadata
 * (CLASS_<value>=name) and as GDAL category names in a `.aux.xml` side-car (the only place
 * GDAL keeps category names for a GeoTIFF), plus the confidence (probability of the chosen
 * class) as a float32 GeoTIFF beside it. Two files, because a GeoTIFF's bands share one data
 * type: GDAL cannot read a uint8 band and a float32 band from one TIFF.
 */

import { type Palette, writeCog } from '../cog/index.ts';
import { AppError } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import { categoryAuxXml } from './category-aux-xml.ts';
import { checkRasterSize } from './raster-checks.ts';

/** What the exporters need to know of a class; `value` is its raster value. */
export interface ExportClass {
  value: number;
  name: string;
  /** '#rrggbb'. */
  colour: string;
}

/** Raster values shared with src/lib/classify/types.ts (UNCERTAIN, NO_CLASS). */
export const UNCERTAIN_VALUE = 254;
export const NO_CLASS_VALUE = 255;
export const UNCERTAIN_NAME = 'uncertain';
const UNCERTAIN_RGB = [160, 160, 160] as const;

export interface ClassificationExport {
  /** width * height class values, UNCERTAIN_VALUE or NO_CLASS_VALUE. */
  classes: Uint8Array;
  grid: GridSpec;
  classDefs: readonly ExportClass[];
  metadata?: Readonly<Record<string, string>>;
}

export function hexToRgb(colour: string): [number, number, number] {
  const v = Number.parseInt(colour.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function checkValues(classes: Uint8Array, classDefs: readonly ExportClass[]): void {
  const known = new Set(classDefs.map((c) => c.value));
  known.add(UNCERTAIN_VALUE);
  known.add(NO_CLASS_VALUE);
  for (let p = 0; p < classes.length; p++) {
    if (!known.has(classes[p]!))
      throw new AppError('bad-input', `Pixel ${p} has class value ${classes[p]}, which no class has.`);
  }
}

/** The colour table: class colours at their values, grey for "uncertain", black elsewhere. */
export function classPalette(classDefs: readonly ExportClass[]): Palette {
  const palette: [number, number, number][] = Array.from({ length: UNCERTAIN_VALUE + 1 }, () => [0, 0, 0]);
  for (const c of classDefs) palette[c.value] = hexToRgb(c.colour);
  palette[UNCERTAIN_VALUE] = [...UNCERTAIN_RGB];
  return palette;
}

export function classificationToGeoTiff(input: ClassificationExport): Uint8Array {
  const { classes, grid, classDefs } = input;
  checkRasterSize('The class map', classes.length, grid);
  checkValues(classes, classDefs);
  const names = Object.fromEntries(classDefs.map((c) => [`CLASS_${c.value}`, c.name]));
  return writeCog({
    width: grid.width,
    height: grid.height,
    data: classes,
    grid,
    nodata: NO_CLASS_VALUE,
    overviewResampling: 'nearest',
    palette: classPalette(classDefs),
    bandInfo: [
      { description: 'class', metadata: { ...names, [`CLASS_${UNCERTAIN_VALUE}`]: UNCERTAIN_NAME } },
    ],
    metadata: { CLASS_COUNT: String(classDefs.length), ...input.metadata },
  });
}

/** Probability of the chosen class per pixel, float32, nodata NaN. */
export function confidenceToGeoTiff(
  confidence: Float32Array,
  grid: GridSpec,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  checkRasterSize('The confidence map', confidence.length, grid);
  return writeCog({
    width: grid.width,
    height: grid.height,
    data: confidence,
    grid,
    nodata: Number.NaN,
    overviewResampling: 'average',
    bandInfo: [{ description: 'confidence' }],
    metadata: { ...metadata },
  });
}

/**
 * The `<file>.aux.xml` GDAL reads category names from (GetCategoryNames(); QGIS shows them in
 * a paletted layer's legend): entry i names raster value i, values without a class are empty,
 * value 254 is "uncertain". As GDAL's PAM writer lays it out.
 */
export function classificationAuxXml(classDefs: readonly ExportClass[]): string {
  const names = new Array<string>(UNCERTAIN_VALUE + 1).fill('');
  for (const c of classDefs) names[c.value] = c.name;
  names[UNCERTAIN_VALUE] = UNCERTAIN_NAME;
  return categoryAuxXml(names);
}
