import type { CacheStats } from '../../../src/lib/cache/index.ts';

/** What the ByteStore test page (cache-store.html) offers the test, each call a scenario. */
export interface CacheHarness {
  /** put, get, list, stats; then closed, reopened and read again. */
  roundTrip(): Promise<{
    got: number[] | null;
    missing: boolean;
    listed: string[];
    stats: CacheStats;
    reopened: number[] | null;
    meta: unknown;
  }>;
  /** A small budget: least recently used entries go; a read counts as a use. */
  evict(): Promise<{ kept: string[]; bytes: number; tooLarge: boolean; afterShrink: string[] }>;
  /**
   * Another connection (another tab) keeps a readonly transaction alive until a read of this
   * store answers or 10 s pass: whether the read was served beside it.
   */
  readBesideReader(): Promise<{ got: number[] | null; readerEndedBy: 'read' | 'time' }>;
  /** Reads, then close at once: after reopening, the entries read are the most recently used. */
  usesOutliveClose(): Promise<{ order: string[] }>;
  /**
   * Reads every 50 ms for 1.5 s: whether another connection (another tab's trim) saw the
   * first read's use while the reads went on, and how many reads there were.
   */
  usesWhileReading(): Promise<{ seenDuringReads: boolean; reads: number }>;
  /** A module worker writes through its own connection; the window reads it. */
  fromWorker(): Promise<{ got: number[] | null; tiles: number }>;
  /** An entry whose bytes do not match its facts: the read fails as corrupt and removes it. */
  corrupt(): Promise<{ error: string; code: string; left: string[] }>;
  clear(): Promise<{ removed: number; after: CacheStats }>;
  /** The automatic budget where navigator.storage.estimate() answers. */
  autoBudget(): Promise<{ auto: boolean; bytes: number; quota: number | undefined }>;
}

declare global {
  interface Window {
    cacheHarness?: CacheHarness;
  }
}
