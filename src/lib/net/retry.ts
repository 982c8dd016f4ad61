import { AppError, throwIfAborted } from '../errors.ts';

/** Statuses worth retrying: rate limiting and a gateway or backend that is briefly unwell. */
export const RETRYABLE_STATUS: readonly number[] = [429, 502, 503, 504];

export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  retries: number;
  /** First backoff in milliseconds; doubled on every further retry. */
  baseDelayMs: number;
  /** Upper bound of any single wait, Retry-After included, so nothing waits for minutes. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/**
 * Milliseconds to wait before retry number `attempt` (0-based): the server's Retry-After
 * (seconds or an HTTP date) when it sent one, else exponential backoff with full jitter
 * (a random wait in [0, base * 2^attempt]) so many clients do not retry in lock-step.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return Math.min(policy.maxDelayMs, Math.max(0, ms));
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Waits `ms`, ending early with the standard 'aborted' error when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('aborted', 'The request was cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
