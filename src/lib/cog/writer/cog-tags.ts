/** The TIFF tags of each IFD the COG writer emits. */
import type { GeoTransform } from '../../geo/index.ts';
import type { SampleLayout } from './cog-data.ts';
import { colorMapValues, type Palette } from './gdal-metadata.ts';
import { TIFF_ASCII, TIFF_DOUBLE, TIFF_LONG, TIFF_SHORT, type TiffTag } from './tiff-tags.ts';

/** Everything about the file that is the same for every IFD. */
export interface CogTagPlan {
  layout: SampleLayout;
  bandCount: number;
  tileSize: number;
  grid: { epsg: number; transform: GeoTransform };
  nodata?: number;
  palette?: Palette;
  /** ImageDescription (270). */
  description?: string;
  /** GDAL_METADATA XML (42112). */
  gdalMetadata?: string;
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

/**
 * Tags of one IFD. Several bands are stored band-separate (PlanarConfiguration 2): each band
 * has its own tiles, so a reader that wants one embedding dimension fetches only that band's
 * tiles, and each band's tiles compress on their own statistics. TileOffsets/TileByteCounts
 * then list every tile of band 1, then of band 2, and so on (TIFF 6.0, section 15).
 */
export function ifdTags(
  plan: CogTagPlan,
  size: { width: number; height: number },
  isOverview: boolean,
  offsets: number[],
  counts: number[],
): TiffTag[] {
  const { layout, bandCount, tileSize } = plan;
  const perBand = (v: number): number[] => new Array<number>(bandCount).fill(v);
  const tags: TiffTag[] = [
    { tag: 254, type: TIFF_LONG, value: [isOverview ? 1 : 0] }, // NewSubfileType: 1 = reduced image
    { tag: 256, type: TIFF_LONG, value: [size.width] },
    { tag: 257, type: TIFF_LONG, value: [size.height] },
    { tag: 258, type: TIFF_SHORT, value: perBand(layout.bitsPerSample) },
    { tag: 259, type: TIFF_SHORT, value: [8] }, // Compression: Adobe deflate (zlib)
    // PhotometricInterpretation: 3 palette (class maps), otherwise 1 BlackIsZero.
    { tag: 262, type: TIFF_SHORT, value: [plan.palette ? 3 : 1] },
    { tag: 277, type: TIFF_SHORT, value: [bandCount] }, // SamplesPerPixel
    { tag: 284, type: TIFF_SHORT, value: [bandCount > 1 ? 2 : 1] }, // PlanarConfiguration
    { tag: 317, type: TIFF_SHORT, value: [layout.predictor] },
    { tag: 322, type: TIFF_SHORT, value: [tileSize] },
    { tag: 323, type: TIFF_SHORT, value: [tileSize] },
    { tag: 324, type: TIFF_LONG, value: offsets },
    { tag: 325, type: TIFF_LONG, value: counts },
    { tag: 339, type: TIFF_SHORT, value: perBand(layout.sampleFormat) },
  ];
  // BlackIsZero accounts for one sample; libtiff warns unless the others are declared extra
  // samples (0 = unspecified data), which is what GDAL writes for multi-band rasters.
  if (bandCount > 1) tags.push({ tag: 338, type: TIFF_SHORT, value: perBand(0).slice(1) });
  // libtiff refuses a palette image without its ColorMap, so every IFD carries it.
  if (plan.palette) tags.push({ tag: 320, type: TIFF_SHORT, value: colorMapValues(plan.palette) });
  // Overviews carry no georeferencing or metadata of their own (as GDAL writes them); readers
  // derive it from the full-resolution image.
  if (!isOverview) {
    const t = plan.grid.transform;
    tags.push(
      { tag: 33550, type: TIFF_DOUBLE, value: [t.resX, t.resY, 0] }, // ModelPixelScale
      { tag: 33922, type: TIFF_DOUBLE, value: [0, 0, 0, t.originX, t.originY, 0] }, // ModelTiepoint
      { tag: 34735, type: TIFF_SHORT, value: geoKeys(plan.grid.epsg) },
    );
    if (plan.description) tags.push({ tag: 270, type: TIFF_ASCII, value: plan.description });
    if (plan.gdalMetadata) tags.push({ tag: 42112, type: TIFF_ASCII, value: plan.gdalMetadata });
  }
  if (plan.nodata !== undefined) {
    const text = Number.isNaN(plan.nodata) ? 'nan' : String(plan.nodata);
    tags.push({ tag: 42113, type: TIFF_ASCII, value: text }); // GDAL_NODATA, on every IFD like GDAL
  }
  return tags;
}
