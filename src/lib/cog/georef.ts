import type { GeoTIFF, GeoTIFFImage } from 'geotiff';
import { AppError } from '../errors.ts';
import type { GeoTransform } from '../geo/index.ts';
import { isSupportedEpsg } from '../geo/index.ts';
import { tiffError } from './tiff-error.ts';

/** Where a GeoTIFF image sits: CRS, north-up transform and size. */
export interface ImageGeoref {
  epsg: number;
  transform: GeoTransform;
  width: number;
  height: number;
  /**
   * True when the file stores its rows bottom-up (positive y pixel size, as AlphaEarth's COGs
   * do): `transform` still describes the north-up picture, so stored row r is picture row
   * height - 1 - r; read windows through `storedWindow` and index rows with `pictureRow`.
   */
  rowsUp?: boolean;
}

const USER_DEFINED = 32767;

/** EPSG code from the GeoKeys (ProjectedCSTypeGeoKey, else GeographicTypeGeoKey). */
export function epsgFromGeoKeys(keys: Record<string, unknown> | null | undefined, what: string): number {
  const projected = keys?.ProjectedCSTypeGeoKey;
  const geographic = keys?.GeographicTypeGeoKey;
  const code =
    typeof projected === 'number' ? projected : typeof geographic === 'number' ? geographic : undefined;
  if (code === undefined)
    throw new AppError(
      'unsupported',
      `${what} has no CRS in its GeoKeys (no EPSG code): it is not a GeoTIFF the app can place on the map.`,
    );
  if (code === USER_DEFINED)
    throw new AppError(
      'unsupported',
      `${what} uses a user-defined CRS (GeoKey 32767); the app needs an EPSG code (UTM, EPSG:4326 or EPSG:3857).`,
    );
  if (!isSupportedEpsg(code)) {
    throw new AppError(
      'unsupported',
      `${what} is in EPSG:${code}, which the app cannot handle: it supports UTM on WGS84 (EPSG:326xx/327xx), EPSG:4326 and EPSG:3857.`,
    );
  }
  return code;
}

/** A numeric tag's values (an Array or a typed array), or undefined when absent. */
function numbers(value: unknown): number[] | undefined {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number>);
  return undefined;
}

/** Georeference of the full-resolution image; overviews share its origin and extent. */
export function imageGeoref(image: GeoTIFFImage, what: string): ImageGeoref {
  const epsg = epsgFromGeoKeys(image.getGeoKeys() as Record<string, unknown> | null, what);
  // geotiff.js hands the tags over as typed arrays, which Array.isArray does not recognise.
  const m = numbers(image.getFileDirectory().getValue('ModelTransformation'));
  if (m && (m[1] !== 0 || m[4] !== 0))
    throw new AppError('unsupported', `${what} is rotated; only north-up rasters are supported.`);
  const [originX, originY] = image.getOrigin();
  const [resX, resY] = image.getResolution();
  if (originX === undefined || originY === undefined || !resX || !resY) {
    throw new AppError('bad-input', `${what} has no usable geotransform (origin/resolution).`);
  }
  // geotiff.js reports |y| sizes inconsistently between the two tag forms, so the sign is read
  // from the tags: a positive y step (matrix) or a negative y scale means rows run bottom-up,
  // and the origin given is the bottom edge.
  const scale: unknown = image.getFileDirectory().getValue('ModelPixelScale');
  const rowsUp = (Array.isArray(m) && Number(m[5]) > 0) || (Array.isArray(scale) && Number(scale[1]) < 0);
  const height = image.getHeight();
  const top = rowsUp ? originY + height * Math.abs(resY) : originY;
  return {
    epsg,
    transform: { originX, originY: top, resX: Math.abs(resX), resY: Math.abs(resY) },
    width: image.getWidth(),
    height,
    ...(rowsUp ? { rowsUp } : {}),
  };
}

/** All images of a file with their georeference, full resolution first, coarsest last. */
export async function imagePyramid(
  tiff: GeoTIFF,
  what: string,
): Promise<{ image: GeoTIFFImage; georef: ImageGeoref }[]> {
  // geotiff.js parses the image directories here, lazily: a corrupt one throws its own words.
  try {
    return await pyramidOf(tiff, what);
  } catch (error) {
    throw tiffError(error, what);
  }
}

async function pyramidOf(
  tiff: GeoTIFF,
  what: string,
): Promise<{ image: GeoTIFFImage; georef: ImageGeoref }[]> {
  const count = await tiff.getImageCount();
  const full = await tiff.getImage(0);
  const base = imageGeoref(full, what);
  const levels = [{ image: full, georef: base }];
  for (let i = 1; i < count; i++) {
    const image = await tiff.getImage(i);
    // Masks and thumbnails that are not reduced copies of the main image are skipped.
    const ratio = base.width / image.getWidth();
    if (!(ratio > 1) || Math.abs(base.height / image.getHeight() - ratio) > ratio * 0.05) continue;
    levels.push({
      image,
      georef: {
        ...base,
        width: image.getWidth(),
        height: image.getHeight(),
        transform: {
          ...base.transform,
          resX: (base.transform.resX * base.width) / image.getWidth(),
          resY: (base.transform.resY * base.height) / image.getHeight(),
        },
      },
    });
  }
  return levels.sort((a, b) => a.georef.transform.resX - b.georef.transform.resX);
}
