import { serializeError } from '../errors.ts';
import { fetchChecked } from '../net/index.ts';
import { fileVersion, type StoredRange } from './range-store.ts';
import type { ReadContext } from './read-context.ts';

/** What the server says about a file now: its version, 'offline' (unreachable), or unknown. */
type Current = { version: string } | 'offline' | 'unknown';

/**
 * One HEAD request (no Range, no body) asks for the file's validators, so bytes stored from an
 * older version are never used. Unreachable (offline, timed out) means the stored bytes are the
 * best there is; an HTTP error (the file is gone, HEAD refused) means they cannot be trusted.
 */
async function currentVersion(url: string, ctx: ReadContext, what: string): Promise<Current> {
  if (globalThis.navigator?.onLine === false) return 'offline';
  ctx.stats.requests++;
  ctx.stats.checks++;
  try {
    const response = await ctx.limiter.run(
      url,
      () =>
        fetchChecked(
          url,
          { method: 'HEAD' },
          {
            service: `the server of ${what}`,
            signal: ctx.signal,
            timeoutMs: Math.min(ctx.timeoutMs, 10_000),
            fetch: ctx.fetch,
          },
        ),
      ctx.signal,
    );
    const size = Number(response.headers.get('Content-Length') ?? Number.NaN);
    if (!Number.isSafeInteger(size)) return 'unknown';
    return {
      version: fileVersion(response.headers.get('ETag'), response.headers.get('Last-Modified'), size),
    };
  } catch (error) {
    const code = serializeError(error).code;
    return code === 'network' || code === 'timeout' ? 'offline' : 'unknown';
  }
}

/**
 * The stored ranges of `url` that may be served for it: those of the file's current version
 * (older versions are dropped), or, offline, those of the version used last. Asks the server
 * only when something is stored, so a first visit costs no extra request.
 */
export async function usableRanges(url: string, ctx: ReadContext, what: string): Promise<StoredRange[]> {
  const tiles = ctx.tiles;
  if (!tiles) return [];
  const stored = await tiles.ranges(url);
  if (stored.length === 0) return [];
  const current = await currentVersion(url, ctx, what);
  if (current === 'unknown') return [];
  if (current === 'offline') {
    const latest = stored.reduce((a, b) => (b.lastUsed > a.lastUsed ? b : a));
    return stored.filter((r) => r.version === latest.version);
  }
  tiles.drop(stored.filter((r) => r.version !== current.version));
  return stored.filter((r) => r.version === current.version);
}

/**
 * A stored range holding the slice; one that reaches the end of the file also holds a slice
 * running past it (geotiff.js's fixed-size header probes), as the in-memory chunks do.
 */
export function coveringRange(
  ranges: readonly StoredRange[],
  offset: number,
  length: number,
): StoredRange | undefined {
  return ranges.find((r) => {
    const end = r.offset + r.length;
    return offset >= r.offset && (offset + length <= end || (end >= r.size && offset < end));
  });
}
