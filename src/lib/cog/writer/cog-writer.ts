/**
 * Writes raster bands as a Cloud-Optimized GeoTIFF: classic little-endian TIFF, 512x512
 * (default) DEFLATE tiles with a predictor, internal 2x overviews, GeoTIFF georeferencing,
 * GDAL_NODATA, and optionally GDAL band descriptions/metadata and a palette. Several bands are
 * stored band-separate (see cog-tags.ts). Layout follows the COG convention so HTTP range
 * readers need few requests: header and GDAL ghost area, every IFD (full resolution first,
 * then overviews), then tile data from the smallest overview to the full resolution.
 */
import { AppError } from '../../errors.ts';
import type { GeoTransform } from '../../geo/index.ts';
import { type CogData, sampleLayout, storedValue } from './cog-data.ts';
import { type CogTagPlan, ifdTags } from './cog-tags.ts';
import { requestBands, validateRequest } from './cog-validate.ts';
import { type CogBandInfo, gdalMetadataXml, type Palette } from './gdal-metadata.ts';
import { buildPyramid, type OverviewResampling, type RasterLevel } from './overviews.ts';
import { ifdByteLength, type TiffTag, writeIfd } from './tiff-tags.ts';
import { encodeTiles } from './tiles.ts';

export type { CogData } from './cog-data.ts';
export type { CogBandInfo, Palette } from './gdal-metadata.ts';
export type { OverviewResampling } from './overviews.ts';

export interface CogInput {
  width: number;
  height: number;
  /** One band, row-major, width * height samples. Give this or `bands`. */
  data?: CogData;
  /** Several bands of one array type, each row-major width * height samples. */
  bands?: readonly CogData[];
  grid: { epsg: number; transform: GeoTransform };
  /** One nodata value for every band (GDAL_NODATA is per file). */
  nodata?: number;
  /** Tile width and height in pixels; a multiple of 16 (TIFF requirement). Default: defaultTileSize. */
  tileSize?: number;
  /** 'average' skips nodata pixels; use 'nearest' for classification bands such as SCL. */
  overviewResampling: OverviewResampling;
  /** TIFF ImageDescription of the whole file. */
  description?: string;
  /** Per band (same length as the bands): description, scale/offset, metadata items. */
  bandInfo?: readonly CogBandInfo[];
  /** Dataset-level GDAL metadata items (gdalinfo "Metadata:"). */
  metadata?: Readonly<Record<string, string>>;
  /** Colour table of a single uint8 class band (PhotometricInterpretation palette). */
  palette?: Palette;
  /** Steps done of all (a band's overviews, then each level's tiles of a band): 128-band files take seconds. */
  onProgress?: (done: number, total: number) => void;
}

// GDAL's COG "ghost area": lets GDAL (and geotiff.js getGhostValues) know the layout is optimised.
const GHOST_BODY = 'LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nKNOWN_INCOMPATIBLE_EDITION=NO\n';
const GHOST = new TextEncoder().encode(
  `GDAL_STRUCTURAL_METADATA_SIZE=${String(GHOST_BODY.length).padStart(6, '0')} bytes\n${GHOST_BODY}`,
);
const FIRST_IFD = 8 + GHOST.length + (GHOST.length % 2);
const MAX_CLASSIC_TIFF = 2 ** 32 - 1;

function tagPlan(input: CogInput, bands: readonly CogData[], tileSize: number): CogTagPlan {
  const plan: CogTagPlan = {
    layout: sampleLayout(bands[0]),
    bandCount: bands.length,
    tileSize,
    grid: input.grid,
  };
  if (input.nodata !== undefined) plan.nodata = input.nodata;
  if (input.palette) plan.palette = input.palette;
  if (input.description) plan.description = input.description;
  const xml = gdalMetadataXml(input.metadata, input.bandInfo ?? []);
  if (xml) plan.gdalMetadata = xml;
  return plan;
}

/**
 * 512 px tiles, or for a raster smaller than that the smallest multiple of 16 holding it: every
 * tile is written whole, so a 25 x 25 px scale-out tile of 128 bands in 512 px tiles deflated
 * 420 times its pixels, padding included (seconds per tile). Either way such a raster is one
 * tile and has no overviews.
 */
export function defaultTileSize(width: number, height: number): number {
  return Math.min(512, Math.max(16, Math.ceil(Math.max(width, height) / 16) * 16));
}

/**
 * Encodes one band (`data`) or several (`bands`) as a COG file (bytes). Throws
 * AppError('bad-input') on invalid input, AppError('too-large') past the classic TIFF limit.
 */
export function writeCog(input: CogInput): Uint8Array {
  const bands = requestBands(input);
  const tileSize = input.tileSize ?? defaultTileSize(input.width, input.height);
  const plan = tagPlan(input, bands, tileSize);
  validateRequest(input, bands, plan.layout, tileSize);
  const first = bands[0] as CogData;
  const fill = input.nodata === undefined ? 0 : storedValue(first, input.nodata);

  const pyramidOf = (data: CogData) =>
    buildPyramid(
      { width: input.width, height: input.height, data },
      tileSize,
      input.overviewResampling,
      input.nodata,
    );
  // The first band's pyramid gives the level count, so every step reports the same total (a
  // bar that reached its end with the overviews, then fell back to half, misled).
  const levels = pyramidOf(first);
  const total = bands.length * (1 + levels.length);
  let done = 0;
  const step = () => input.onProgress?.(++done, total);
  step();
  const pyramids = [
    levels,
    ...bands.slice(1).map((data) => {
      const pyramid = pyramidOf(data);
      step();
      return pyramid;
    }),
  ];
  // Per level, every tile of band 1, then of band 2, ... (PlanarConfiguration 2 order).
  const tiles = levels.map((_, i) =>
    pyramids.flatMap((pyramid) => {
      const encoded = encodeTiles(pyramid[i] as RasterLevel, tileSize, fill);
      step();
      return encoded;
    }),
  );

  // IFD sizes depend only on tag counts, so measure them with placeholder offsets first.
  const tagsFor = (i: number, offsets: number[], counts: number[]): TiffTag[] =>
    ifdTags(plan, levels[i] as RasterLevel, i > 0, offsets, counts);
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
