import { AppError } from '../errors.ts';

/**
 * At most `limit` requests in flight per origin (scheme + host + port), as browsers do for
 * HTTP/1.1; more only queue up in the browser and make cancellation slower. Shared by all
 * band files of one scene read so that eleven bands do not open sixty-six connections.
 */
export class OriginLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(readonly limit = 6) {}

  /** How many requests to `url`'s origin are running now (for tests and diagnostics). */
  inFlight(url: string): number {
    return this.active.get(new URL(url).origin) ?? 0;
  }

  async run<T>(url: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const origin = new URL(url).origin;
    await this.acquire(origin, signal);
    try {
      return await task();
    } finally {
      this.release(origin);
    }
  }

  private acquire(origin: string, signal?: AbortSignal): Promise<void> {
    if ((this.active.get(origin) ?? 0) < this.limit) {
      this.active.set(origin, (this.active.get(origin) ?? 0) + 1);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(origin) ?? [];
      const onAbort = () => {
        const i = queue.indexOf(start);
        if (i >= 0) queue.splice(i, 1);
        reject(new AppError('aborted', 'The request was cancelled.'));
      };
      // The releasing request hands its slot over directly, so the count stays the same.
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(start);
      this.waiting.set(origin, queue);
    });
  }

  private release(origin: string): void {
    const next = this.waiting.get(origin)?.shift();
    if (next) next();
    else this.active.set(origin, (this.active.get(origin) ?? 1) - 1);
  }
}
