/**
 * The cache's bookkeeping, kept free of IndexedDB so it is tested on its own: what is stored
 * (sizes, last use), how much may be, and what goes first when that is exceeded.
 */

/** What an entry holds: COG byte ranges, an embedding grid, or a search answer kept for offline use. */
export type EntryKind = 'tile' | 'embedding' | 'search';
export const ENTRY_KINDS: readonly EntryKind[] = ['tile', 'embedding', 'search'];

/** One entry as the bookkeeping sees it (no bytes). */
export interface EntryInfo {
  key: string;
  kind: EntryKind;
  /** Bytes of the stored value. */
  size: number;
  /** Milliseconds since the epoch of the last read or write. */
  lastUsed: number;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  byKind: Record<EntryKind, { entries: number; bytes: number }>;
}

export function summarize(entries: readonly EntryInfo[]): CacheStats {
  const byKind = {} as CacheStats['byKind'];
  for (const kind of ENTRY_KINDS) byKind[kind] = { entries: 0, bytes: 0 };
  let bytes = 0;
  for (const e of entries) {
    byKind[e.kind].entries++;
    byKind[e.kind].bytes += e.size;
    bytes += e.size;
  }
  return { entries: entries.length, bytes, byKind };
}

/**
 * Keys to delete so the total fits `budget`: least recently used first (ties: the larger
 * first, fewer deletions). Returns nothing when the total already fits.
 */
export function planEviction(entries: readonly EntryInfo[], budget: number): string[] {
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total <= budget) return [];
  const order = [...entries].sort((a, b) => a.lastUsed - b.lastUsed || b.size - a.size);
  const evict: string[] = [];
  for (const e of order) {
    if (total <= budget) break;
    evict.push(e.key);
    total -= e.size;
  }
  return evict;
}

// Decimal units, as the scene's "fetched 7.3 MB" line counts them.
const MB = 1e6;
const GB = 1e9;

/**
 * 1 GB holds a class's worth of revisits: the Dolomites demo area (1059 x 934 px, 4 bands)
 * costs 5.9 MB of tiles and 24.7 MB of spectral embeddings (measured by tests/e2e/cache.e2e.ts),
 * so some 30 areas with embeddings, or 170 without.
 */
export const DEFAULT_BUDGET = GB;
/** Below this the cache would not keep even one area's tiles; the automatic budget stays above. */
export const MIN_AUTO_BUDGET = 64 * MB;
/** Share of the origin's quota the automatic budget may take. */
export const QUOTA_SHARE = 0.2;

/**
 * The automatic budget: DEFAULT_BUDGET, or a fifth of the quota the browser grants this origin
 * when that is less. Chromium grants up to 60% of the disk but the real limit is free space
 * (a full laptop or a Chromebook reports a small quota): a fifth keeps writes well clear of
 * QuotaExceededError and leaves room for saved sessions. Without navigator.storage (plain
 * http on a LAN is not a secure context) the quota is unknown and the default applies.
 */
export function autoBudget(quota: number | undefined): number {
  if (quota === undefined || !Number.isFinite(quota) || quota <= 0) return DEFAULT_BUDGET;
  return Math.max(MIN_AUTO_BUDGET, Math.min(DEFAULT_BUDGET, Math.floor(quota * QUOTA_SHARE)));
}

/** Budgets offered in the Storage panel (16 MB: a shared computer that keeps only the last area). */
export const BUDGET_CHOICES: readonly number[] = [16 * MB, 64 * MB, 256 * MB, GB, 4 * GB, 16 * GB];

/** A stored budget setting: a number of bytes, or null for the automatic budget. */
export function validBudget(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return null;
}
