/**
 * Writes one raster band as a Cloud-Optimized GeoTIFF: classic little-endian TIFF, 512x512
 * (default) DEFLATE tiles with a predictor, internal 2x overviews, GeoTIFF georeferencing and
 * GDAL_NODATA. Layout follows the COG convention so HTTP range readers need few requests:
 * header and GDAL ghost area, every IFD (full resolution first, then overviews), then tile
 * data from the smallest overview to the full resolution.
 */
import { AppError } from '../errors.ts';
import type { GeoTransform } from '../geo/geotransform.ts';
import { type CogData, type SampleLayout, sampleLayout, storedValue } from './cog-data.ts';
import { buildPyramid, type OverviewResampling, type RasterLevel } from './overviews.ts';
import {
  ifdByteLength,
  TIFF_ASCII,
  TIFF_DOUBLE,
  TIFF_LONG,
  TIFF_SHORT,
  type TiffTag,
  writeIfd,
} from './tiff-tags.ts';
import { encodeTiles } from './tiles.ts';

export type { CogData } from './cog-data.ts';
export type { OverviewResampling } from './overviews.ts';

export interface CogInput {
  width: number;
  height: number;
  /** One band, row-major, width * height samples. */
  data: CogData;
  grid: { epsg: number; transform: GeoTransform };
  nodata?: number;
  /** Tile width and height in pixels; a multiple of 16 (TIFF requirement). Default 512. */
  tileSize?: number;
  /** 'average' skips nodata pixels; use 'nearest' for classification bands such as SCL. */
  overviewResampling: OverviewResampling;
  description?: string;
}

// GDAL's COG "ghost area": lets GDAL (and geotiff.js getGhostValues) know the layout is optimised.
const GHOST_BODY = 'LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nKNOWN_INCOMPATIBLE_EDITION=NO\n';
const GHOST = new TextEncoder().encode(
  `GDAL_STRUCTURAL_METADATA_SIZE=${String(GHOST_BODY.length).padStart(6, '0')} bytes\n${GHOST_BODY}`,
);
const FIRST_IFD = 8 + GHOST.length + (GHOST.length % 2);
const MAX_CLASSIC_TIFF = 2 ** 32 - 1;

function fail(message: string): never {
  throw new AppError('bad-input', `Cannot write GeoTIFF: ${message}`);
}

function validate(input: CogInput, layout: SampleLayout, tileSize: number): void {
  const { width, height, data, grid, nodata } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    fail(`width and height must be positive integers (got ${width} x ${height}).`);
  }
  if (data.length !== width * height) {
    fail(`data has ${data.length} samples but ${width} x ${height} = ${width * height} were expected.`);
  }
  if (!Number.isInteger(tileSize) || tileSize < 16 || tileSize % 16 !== 0 || tileSize > 65535) {
    fail(`tileSize must be a positive multiple of 16 (got ${tileSize}).`);
  }
  // GeoKey values are 16-bit and 32767 means "user-defined", so EPSG codes must be below it.
  if (!Number.isInteger(grid.epsg) || grid.epsg < 1024 || grid.epsg >= 32767) {
    fail(`EPSG code ${grid.epsg} cannot be written as a GeoTIFF CRS code (expected 1024..32766).`);
  }
  const t = grid.transform;
  if (![t.originX, t.originY, t.resX, t.resY].every(Number.isFinite) || t.resX <= 0 || t.resY <= 0) {
    fail('the geotransform needs finite origin and positive, finite resolutions.');
  }
  if (nodata !== undefined) {
    const isFloat = layout.sampleFormat === 3;
    if (isFloat ? !Number.isFinite(nodata) && !Number.isNaN(nodata) : !Number.isInteger(nodata)) {
      fail(`nodata ${nodata} is not a valid ${layout.dataType} value.`);
    }
    if (nodata < layout.min || nodata > layout.max)
      fail(`nodata ${nodata} is out of range for ${layout.dataType}.`);
  }
  if (input.overviewResampling !== 'average' && input.overviewResampling !== 'nearest') {
    fail(`unknown overview resampling '${String(input.overviewResampling)}'.`);
  }
}

/** GeoKeyDirectory: version header, then (key, location, count, value) sorted by key. */
function geoKeys(epsg: number): number[] {
  const geographic = epsg === 4326;
  const keys: [number, number][] = geographic
    ? [
        [1024, 2], // GTModelTypeGeoKey: geographic
        [1025, 1], // GTRasterTypeGeoKey: PixelIsArea
        [2048, epsg], // GeographicTypeGeoKey
        [2054, 9102], // GeogAngularUnitsGeoKey: degree
      ]
    : [
        [1024, 1], // GTModelTypeGeoKey: projected
        [1025, 1], // GTRasterTypeGeoKey: PixelIsArea
        [3072, epsg], // ProjectedCSTypeGeoKey
        [3076, 9001], // ProjLinearUnitsGeoKey: metre (UTM and Web Mercator)
      ];
  return [1, 1, 0, keys.length, ...keys.flatMap(([key, value]) => [key, 0, 1, value])];
}

function ifdTags(
  input: CogInput,
  layout: SampleLayout,
  level: RasterLevel,
  isOverview: boolean,
  tileSize: number,
  offsets: number[],
  counts: number[],
): TiffTag[] {
  const tags: TiffTag[] = [
    { tag: 254, type: TIFF_LONG, value: [isOverview ? 1 : 0] }, // NewSubfileType: 1 = reduced image
    { tag: 256, type: TIFF_LONG, value: [level.width] },
    { tag: 257, type: TIFF_LONG, value: [level.height] },
    { tag: 258, type: TIFF_SHORT, value: [layout.bitsPerSample] },
    { tag: 259, type: TIFF_SHORT, value: [8] }, // Compression: Adobe deflate (zlib)
    { tag: 262, type: TIFF_SHORT, value: [1] }, // PhotometricInterpretation: BlackIsZero
    { tag: 277, type: TIFF_SHORT, value: [1] }, // SamplesPerPixel
    { tag: 284, type: TIFF_SHORT, value: [1] }, // PlanarConfiguration: chunky
    { tag: 317, type: TIFF_SHORT, value: [layout.predictor] },
    { tag: 322, type: TIFF_SHORT, value: [tileSize] },
    { tag: 323, type: TIFF_SHORT, value: [tileSize] },
    { tag: 324, type: TIFF_LONG, value: offsets },
    { tag: 325, type: TIFF_LONG, value: counts },
    { tag: 339, type: TIFF_SHORT, value: [layout.sampleFormat] },
  ];
  // Overviews carry no georeferencing of their own (as GDAL writes them); readers derive it
  // from the full-resolution image.
  if (!isOverview) {
    const t = input.grid.transform;
    tags.push(
      { tag: 33550, type: TIFF_DOUBLE, value: [t.resX, t.resY, 0] }, // ModelPixelScale
      { tag: 33922, type: TIFF_DOUBLE, value: [0, 0, 0, t.originX, t.originY, 0] }, // ModelTiepoint
      { tag: 34735, type: TIFF_SHORT, value: geoKeys(input.grid.epsg) },
    );
    if (input.description) tags.push({ tag: 270, type: TIFF_ASCII, value: input.description });
  }
  if (input.nodata !== undefined) {
    const text = Number.isNaN(input.nodata) ? 'nan' : String(input.nodata);
    tags.push({ tag: 42113, type: TIFF_ASCII, value: text }); // GDAL_NODATA, on every IFD like GDAL
  }
  return tags;
}

/** Encodes one band as a COG file (bytes). Throws AppError('bad-input') on invalid input. */
export function writeCog(input: CogInput): Uint8Array {
  const layout = sampleLayout(input.data);
  const tileSize = input.tileSize ?? 512;
  validate(input, layout, tileSize);
  const fill = input.nodata === undefined ? 0 : storedValue(input.data, input.nodata);

  const base: RasterLevel = { width: input.width, height: input.height, data: input.data };
  const levels = buildPyramid(base, tileSize, input.overviewResampling, input.nodata);
  const tiles = levels.map((level) => encodeTiles(level, tileSize, fill));

  // IFD sizes depend only on tag counts, so measure them with placeholder offsets first.
  const tagsFor = (i: number, offsets: number[], counts: number[]): TiffTag[] =>
    ifdTags(input, layout, levels[i] as RasterLevel, i > 0, tileSize, offsets, counts);
  const ifdOffsets: number[] = [];
  let cursor = FIRST_IFD;
  levels.forEach((_, i) => {
    const n = tiles[i]?.length ?? 0;
    ifdOffsets.push(cursor);
    cursor += ifdByteLength(tagsFor(i, new Array<number>(n).fill(0), new Array<number>(n).fill(0)));
  });

  // Tile data: smallest overview first, full resolution last.
  const tileOffsets: number[][] = levels.map(() => []);
  for (let i = levels.length - 1; i >= 0; i--) {
    for (const tile of tiles[i] ?? []) {
      tileOffsets[i]?.push(cursor);
      cursor += tile.length;
    }
  }
  if (cursor > MAX_CLASSIC_TIFF) {
    throw new AppError(
      'too-large',
      `The GeoTIFF would be ${cursor} bytes, over the 4 GiB classic TIFF limit.`,
    );
  }

  const bytes = new Uint8Array(cursor);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49]); // "II": little-endian
  view.setUint16(2, 42, true);
  view.setUint32(4, FIRST_IFD, true);
  bytes.set(GHOST, 8);
  levels.forEach((_, i) => {
    const counts = (tiles[i] ?? []).map((t) => t.length);
    const next = ifdOffsets[i + 1] ?? 0;
    writeIfd(view, ifdOffsets[i] ?? 0, tagsFor(i, tileOffsets[i] ?? [], counts), next);
    (tiles[i] ?? []).forEach((tile, j) => {
      bytes.set(tile, tileOffsets[i]?.[j] ?? 0);
    });
  });
  return bytes;
}
