import { AppError } from '../errors.ts';
import type { SceneListing } from './load-scene.ts';

/** The most months yearly mode reads: a year. */
export const YEARLY_MONTHS = 12;
/** The most dates yearly mode gives a model (two per month; Presto and Galileo-nano take 24). */
export const YEARLY_MAX_DATES = 24;

/** Yearly mode's spacing: the best scene of each month, or of each half-month (up to 24 dates). */
export type YearlyCadence = 'month' | 'half-month';

/**
 * Yearly mode's dates (the app's and the CLI's `--yearly`): the best scene (or overpass) of
 * each of the last 12 months of a search, oldest first; at least two months. With
 * `half-month`, the best of each half of those months instead: up to 24 dates, as many as
 * the search has.
 */
export function yearlyMonths(
  listing: SceneListing | undefined,
  cadence: YearlyCadence = 'month',
): { month: string; itemIds: string[] }[] {
  const months = listing?.months.slice(-YEARLY_MONTHS) ?? [];
  if (months.length < 2)
    throw new AppError(
      'bad-input',
      'Yearly mode needs scenes from at least two months: search a date range of a year first.',
    );
  if (cadence === 'month') return months;
  const first = months[0]?.month ?? '';
  // Half-month labels start with their month ("2022-06 (01–15)"), so they compare by month.
  return (listing?.halfMonths ?? []).filter((h) => h.month >= first).slice(-YEARLY_MAX_DATES);
}
