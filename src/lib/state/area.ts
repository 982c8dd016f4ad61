import { AppError } from '../errors.ts';
import type { LonLat } from '../geo/index.ts';

export type LonLatBox = [west: number, south: number, east: number, north: number];

/**
 * The area of interest: a box (typed, or a drawn rectangle) or a drawn polygon with its
 * bounding box. Scenes are read on the box; pixels outside the polygon are masked.
 */
export interface Aoi {
  box: LonLatBox;
  /** Open ring, WGS84, validated (validatePolygon); its bounding box is `box`. */
  polygon?: LonLat[];
}

/** Tofane / Cortina d'Ampezzo, about 10 x 9 km: what a live search offers before anything is drawn. */
export const EXAMPLE_BOX: LonLatBox = [12.06, 46.5, 12.19, 46.58];

/** "W, S, E, N" with 5 decimals (about 1 m), as the area field shows it. */
export function formatBBox(box: LonLatBox): string {
  return box.map((v) => String(Number(v.toFixed(5)))).join(', ');
}

/** Whether two boxes agree to the precision formatBBox writes (half its last digit). */
export function sameBox(a: LonLatBox, b: LonLatBox): boolean {
  return a.every((v, i) => Math.abs(v - b[i]!) <= 5e-6);
}

/** Parses "W,S,E,N" in degrees, as typed by a user; clear messages for each mistake. */
export function parseBBox(text: string): LonLatBox {
  const parts = text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number);
  if (parts.length !== 4 || !parts.every(Number.isFinite)) {
    throw new AppError('bad-input', 'Type the area as four numbers: west, south, east, north (degrees).');
  }
  const [w, s, e, n] = parts as LonLatBox;
  if (w < -180 || e > 180 || s < -90 || n > 90)
    throw new AppError('bad-input', 'Longitudes must lie in -180..180 and latitudes in -90..90.');
  if (w >= e) throw new AppError('bad-input', 'West must be less than east.');
  if (s >= n) throw new AppError('bad-input', 'South must be less than north.');
  return [w, s, e, n];
}

export interface AreaEstimate {
  widthKm: number;
  heightKm: number;
  areaKm2: number;
  /** Pixels at the given resolution. */
  pixels: number;
  /** Memory for the bands (float32) and the embeddings (float32), in MB. */
  memoryMb: number;
  /** Encoding time at the given rate, in seconds. */
  seconds: number;
}

const KM_PER_DEGREE = 111.32;

/**
 * Size, pixel count, memory and time of an area (spherical approximation, fine for planning).
 * `areaKm2`: the area actually read when it is less than the box (a pack's footprint, which
 * its WGS84 box overstates by a few percent); pixels are counted on it.
 */
export function estimateArea(
  box: LonLatBox,
  options: {
    resolutionM: number;
    bands: number;
    dim: number;
    pixelsPerSecond: number;
    areaKm2?: number;
    /** The pixels the load will hold, when counted on its grid (load-plan.ts): used as they are. */
    pixels?: number;
  },
): AreaEstimate {
  const midLat = ((box[1] + box[3]) / 2) * (Math.PI / 180);
  const widthKm = (box[2] - box[0]) * KM_PER_DEGREE * Math.cos(midLat);
  const heightKm = (box[3] - box[1]) * KM_PER_DEGREE;
  const areaKm2 = options.areaKm2 ?? widthKm * heightKm;
  const pixels = options.pixels ?? Math.round((areaKm2 * 1e6) / (options.resolutionM * options.resolutionM));
  return {
    widthKm,
    heightKm,
    areaKm2,
    pixels,
    memoryMb: (pixels * (options.bands + options.dim) * 4) / 1e6,
    seconds: pixels / options.pixelsPerSecond,
  };
}

/** Above this many pixels the app warns before loading (memory of a school laptop). */
export const LARGE_AREA_PIXELS = 4_000_000;
