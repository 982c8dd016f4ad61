import { AppError } from '../errors.ts';
import type { SceneListing } from './load-scene.ts';

/** The most months yearly mode reads: a year. */
export const YEARLY_MONTHS = 12;

/**
 * Yearly mode's dates (the app's and the CLI's `--yearly`): the best scene (or overpass) of
 * each of the last 12 months of a search, oldest first; at least two months.
 */
export function yearlyMonths(listing: SceneListing | undefined): { month: string; itemIds: string[] }[] {
  const months = listing?.months.slice(-YEARLY_MONTHS) ?? [];
  if (months.length < 2)
    throw new AppError(
      'bad-input',
      'Yearly mode needs scenes from at least two months: search a date range of a year first.',
    );
  return months;
}
