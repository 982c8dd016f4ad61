import type { GridSpec } from '../geo/index.ts';
import { utmEpsgFor } from '../geo/index.ts';
import {
  effectivePixelM,
  LOAD_RESOLUTIONS,
  type LoadResolution,
  loadLattice,
  sceneGrid,
} from '../scene/index.ts';
import { type AreaEstimate, estimateArea, LARGE_AREA_PIXELS, type LonLatBox } from './area.ts';

/**
 * What the area field plans with: the bands a scene holds, a small embedding and the
 * spectral encoder's rate (the encoder picker refines the time once a model is chosen).
 */
export const PLANNING = { bands: 11, dim: 13, pixelsPerSecond: 1_000_000 } as const;

/** An area to load: a box, and the footprint's own area when it is less (a whole pack). */
export interface PlannedArea {
  box: LonLatBox;
  areaKm2?: number | undefined;
  /** The source's pixel grid at its native size (a pack's red band), when known. */
  lattice?: GridSpec | undefined;
}

/**
 * Pixels a load of `box` (absent: the whole of `lattice`) at `resolutionM` will hold, counted
 * as the loader cuts its grid (loadLattice, then sceneGrid: the pixels touching the box, in
 * the source's CRS), not from the box's area in km²: a drawn 101,321 px used to load 110,952
 * (a WGS84 box is wider in UTM than its area), a whole pack's footprint 985,867 of 989,106.
 * Without a lattice (a live search), the box on a lattice of `nativeM` in its UTM zone, as
 * Sentinel-2 tiles lie. Undefined when the box misses the lattice.
 */
export function loadedPixels(
  lattice: GridSpec | undefined,
  resolutionM: LoadResolution,
  box: LonLatBox | undefined,
  nativeM = 10,
): number | undefined {
  const base = lattice ?? (box ? utmLattice(box, nativeM) : undefined);
  if (!base) return undefined;
  try {
    const grid = sceneGrid([loadLattice([base], resolutionM)], box);
    return grid.width * grid.height;
  } catch {
    return undefined;
  }
}

/** A lattice of `res` metres over the UTM zone of the box's centre (Sentinel-2's grids are on it). */
function utmLattice(box: LonLatBox, res: number): GridSpec {
  const epsg = utmEpsgFor((box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
  const size = (metres: number) => Math.ceil(metres / res);
  return {
    epsg,
    width: size(1e6),
    height: size(1e7),
    transform: { originX: 0, originY: 1e7, resX: res, resY: res },
  };
}

/** A load resolution with the pixel size it gives on this source and what that costs. */
export interface LoadOption {
  resolutionM: LoadResolution;
  pixelM: number;
  estimate: AreaEstimate;
}

/** The estimate of loading `area` at `resolutionM` from data of `nativeM` pixels. */
export function planLoad(area: PlannedArea, nativeM: number, resolutionM: LoadResolution): LoadOption {
  const pixelM = effectivePixelM(nativeM, resolutionM);
  // A whole pack (its footprint's area given) loads its whole lattice; a typed box, its cut.
  const pixels = loadedPixels(
    area.lattice,
    resolutionM,
    area.areaKm2 === undefined ? area.box : undefined,
    nativeM,
  );
  const estimate = estimateArea(area.box, {
    ...PLANNING,
    resolutionM: pixelM,
    ...(area.areaKm2 === undefined ? {} : { areaKm2: area.areaKm2 }),
    ...(pixels === undefined ? {} : { pixels }),
  });
  return { resolutionM, pixelM, estimate };
}

/**
 * The load resolutions coarser than the current one that really coarsen this source (on
 * 100 m data, 20-80 m would load the same 100 m grid, so they are not offered), coarsest last.
 */
export function coarserOptions(area: PlannedArea, nativeM: number, current: LoadResolution): LoadOption[] {
  const now = effectivePixelM(nativeM, current);
  return LOAD_RESOLUTIONS.filter((r) => effectivePixelM(nativeM, r) > now).map((r) =>
    planLoad(area, nativeM, r),
  );
}

/**
 * The pixel count above which the area field warns, for a device with `deviceMemoryGb` of
 * memory (navigator.deviceMemory; absent outside Chromium). LARGE_AREA_PIXELS suits a 4 GB
 * school laptop; a device that reports less gets proportionally less. More does not raise
 * it: a browser tab gets a few GB whatever the machine has.
 */
export function largeAreaPixels(deviceMemoryGb: number | undefined): number {
  if (deviceMemoryGb === undefined || !(deviceMemoryGb > 0)) return LARGE_AREA_PIXELS;
  return Math.round(LARGE_AREA_PIXELS * Math.min(1, deviceMemoryGb / 4));
}

/** navigator.deviceMemory in GB (Chromium rounds it to 0.25-8), or undefined where not told. */
export function deviceMemoryGb(): number | undefined {
  const nav: (Navigator & { deviceMemory?: unknown }) | undefined = globalThis.navigator;
  return typeof nav?.deviceMemory === 'number' ? nav.deviceMemory : undefined;
}

/** "~12 s" or "~3 min", as the estimates print times. */
export function formatSeconds(seconds: number): string {
  return seconds < 90 ? `~${Math.max(1, Math.round(seconds))} s` : `~${Math.round(seconds / 60)} min`;
}
