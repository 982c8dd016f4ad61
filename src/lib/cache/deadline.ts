import { AppError } from '../errors.ts';
import type { CacheStore } from './store.ts';

/**
 * Storage normally answers in milliseconds, but a transaction can wait forever behind another
 * tab's (or a frozen page's) open transaction on the same stores. Loading must not wait with
 * it: past this, the cache counts as failed and the app goes on without it.
 */
export const STORAGE_DEADLINE_MS = 30_000;

/** `work`, or an AppError('timeout') once `ms` have passed without an answer. */
export function withDeadline<T>(work: Promise<T>, ms: number = STORAGE_DEADLINE_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new AppError('timeout', `Browser storage did not answer within ${Math.round(ms / 1000)} s.`)),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Opens a store within the deadline; one that opens too late is closed when it does. */
export async function openWithinDeadline(open: () => Promise<CacheStore>): Promise<CacheStore> {
  const opening = open();
  try {
    return await withDeadline(opening);
  } catch (error) {
    void opening.then(
      (store) => store.close(),
      () => undefined,
    );
    throw error;
  }
}
