/** Scale bar maths for map snapshots (pure: the drawing is in snapshot-png.ts). */
import { AppError } from '../errors.ts';

/** Equatorial circumference of the WGS84 / Web Mercator sphere, metres. */
const EARTH_CIRCUMFERENCE_M = 2 * Math.PI * 6378137;
/** deck.gl's MapView renders the whole world 512 pixels wide at zoom 0. */
const WORLD_PIXELS_AT_ZOOM_0 = 512;

/** Ground metres per CSS pixel of a Web Mercator map view at a latitude (the view's centre). */
export function metresPerPixel(latitude: number, zoom: number): number {
  if (!Number.isFinite(latitude) || Math.abs(latitude) >= 90 || !Number.isFinite(zoom)) {
    throw new AppError('bad-input', `No map scale at latitude ${latitude}, zoom ${zoom}.`);
  }
  const cos = Math.cos((latitude * Math.PI) / 180);
  return (EARTH_CIRCUMFERENCE_M * cos) / (WORLD_PIXELS_AT_ZOOM_0 * 2 ** zoom);
}

export interface ScaleBar {
  metres: number;
  /** Length of the bar in the same pixels as metresPerPx refers to. */
  pixels: number;
  label: string;
}

/** The longest 1, 2 or 5 x 10^n metre bar that fits in `maxPixels`. */
export function scaleBar(metresPerPx: number, maxPixels: number): ScaleBar {
  if (!(metresPerPx > 0) || !Number.isFinite(metresPerPx) || !(maxPixels > 0)) {
    throw new AppError('bad-input', `Cannot draw a scale bar for ${metresPerPx} m per pixel.`);
  }
  const maxMetres = metresPerPx * maxPixels;
  let metres = 10 ** Math.floor(Math.log10(maxMetres));
  for (const factor of [5, 2]) {
    if (metres * factor <= maxMetres) {
      metres *= factor;
      break;
    }
  }
  const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  return { metres, pixels: metres / metresPerPx, label };
}
