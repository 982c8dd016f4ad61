import { AppError } from '../errors.ts';
import type { Scene } from '../scene/index.ts';
import { downsampleScene } from '../scene/index.ts';
import { PRESTO_MAX_TIMESTEPS } from './presto-spec.ts';

/**
 * Scenes of one place at several dates as the time steps a date-aware encoder (Presto,
 * Galileo-nano) reads: the app's yearly mode and the CLI's multi-date `embed` both plan here.
 */
export interface SeriesPlan {
  /** The scene whose valid pixels are encoded: the first step's grid, valid where any step is. */
  target: Scene;
  /** One scene per time step, oldest first, on the target's grid; absent for a single date. */
  steps?: Scene[];
  /** Calendar month (0 = January) of each step. */
  months: number[];
}

/** Up to 24 dates: Presto's and Galileo-nano's longest sequence. */
export const MAX_SERIES_STEPS = PRESTO_MAX_TIMESTEPS;

/** The month a date-aware model is told, or an error saying where a date comes from. */
export function monthOf(scene: Scene): number {
  const month = scene.datetime ? new Date(scene.datetime).getUTCMonth() : Number.NaN;
  if (!Number.isInteger(month)) {
    throw new AppError(
      'bad-input',
      `This model needs the month of acquisition, and ${scene.title} carries no date (in its metadata or file names): give it (the files dialog's date; the CLI's --date or --dates), or use the spectral encoder.`,
    );
  }
  return month;
}

/** Same pixels: CRS, size and origin (several dates of one tile, or one stack per date). */
export function sameGrid(a: Scene['grid'], b: Scene['grid']): boolean {
  return (
    a.epsg === b.epsg &&
    a.width === b.width &&
    a.height === b.height &&
    a.transform.originX === b.transform.originX &&
    a.transform.originY === b.transform.originY &&
    a.transform.resX === b.transform.resX
  );
}

/** A pixel is encoded when any time step saw it. */
function unionValid(target: Scene, steps: readonly Scene[]): Scene {
  const valid = new Uint8Array(target.valid.length);
  let count = 0;
  for (let i = 0; i < valid.length; i++) {
    valid[i] = steps.some((s) => s.valid[i]) ? 1 : 0;
    count += valid[i]!;
  }
  return { ...target, valid, validFraction: count / Math.max(1, valid.length) };
}

/**
 * The plan for `scene` alone, or with `series` (scenes of other dates on its grid): every
 * step at `factor` x its resolution, ordered by date (a stable sort: equal dates keep their
 * order), each step's own validity (its cloud mask) kept so the encoder masks that date only.
 */
export function planSeries(scene: Scene, series: readonly Scene[] | undefined, factor: number): SeriesPlan {
  const target = downsampleScene(scene, factor);
  if (!series || series.length <= 1) {
    return { target, months: [monthOf(scene)] };
  }
  if (series.length > MAX_SERIES_STEPS)
    throw new AppError(
      'bad-input',
      `${series.length} dates were given; the date-aware models take at most ${MAX_SERIES_STEPS}.`,
    );
  const months = series.map(monthOf);
  const order = series
    .map((s, i) => ({ s, i, t: Date.parse(s.datetime) }))
    .sort((a, b) => a.t - b.t || a.i - b.i);
  for (const { s } of order)
    if (!sameGrid(s.grid, scene.grid))
      throw new AppError(
        'bad-input',
        `${s.title} lies on another grid (EPSG:${s.grid.epsg}, ${s.grid.width} x ${s.grid.height} at ${s.grid.transform.resX} m) than ${scene.title} (EPSG:${scene.grid.epsg}, ${scene.grid.width} x ${scene.grid.height} at ${scene.grid.transform.resX} m): every date must cover the same pixels.`,
      );
  const steps = order.map(({ s }) => downsampleScene(s, factor));
  return { target: unionValid(target, steps), steps, months: order.map(({ i }) => months[i]!) };
}
