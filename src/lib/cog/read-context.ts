import { DEFAULT_RETRY, OriginLimiter, type RetryPolicy } from '../net/index.ts';
import type { RangeStore } from './range-store.ts';

/** What one scene read cost on the network; shown to the user and measured by the benchmarks. */
export interface ReadStats {
  /** Bytes of response bodies received. */
  bytes: number;
  /** HTTP requests sent (retries and checks included). */
  requests: number;
  /** HEAD requests asking whether stored files changed (part of `requests`). */
  checks: number;
  /** Bytes served from the browser's cache instead of the network. */
  cacheBytes: number;
}

/**
 * Everything the range readers of one scene share: the signal that cancels them all, the
 * per-origin connection limit, retry policy, byte/request counters and the size limits.
 */
export interface ReadContext {
  signal: AbortSignal | undefined;
  limiter: OriginLimiter;
  stats: ReadStats;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Bytes fetched first from every file: header, IFDs and tile index arrays of a COG. */
  headerBytes: number;
  /** Largest whole file accepted from a server that ignores Range (answers 200). */
  maxFullFileBytes: number;
  /** Largest single range (one tile or strip) the app will fetch. */
  maxRangeBytes: number;
  /** Per-file cache of fetched bytes (header and tiles), evicted oldest first. */
  cacheBytes: number;
  /** The browser's persistent cache of byte ranges, when the reader may use one. */
  tiles?: RangeStore | undefined;
  /** The fetch every request goes through (tests and benchmarks count bytes); global fetch by default. */
  fetch?: typeof globalThis.fetch | undefined;
}

export function createReadContext(signal?: AbortSignal, overrides: Partial<ReadContext> = {}): ReadContext {
  return {
    signal,
    limiter: new OriginLimiter(6),
    stats: { bytes: 0, requests: 0, checks: 0, cacheBytes: 0 },
    retry: DEFAULT_RETRY,
    timeoutMs: 30_000,
    // GDAL's own first read: a COG's header, IFDs and tile arrays fit in 16 KiB (an Earth
    // Search 10 m band's take about 3 KiB); anything beyond is fetched when asked for.
    headerBytes: 16 * 1024,
    maxFullFileBytes: 16 * 1024 * 1024,
    maxRangeBytes: 64 * 1024 * 1024,
    // A 10980 px band in 1024 px tiles of ~1.5 MB: a large window of one band fits.
    cacheBytes: 48 * 1024 * 1024,
    ...overrides,
  };
}
