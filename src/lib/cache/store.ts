import type { CacheStats, EntryInfo, EntryKind } from './budget.ts';

/** Small structured-cloneable facts stored beside an entry's bytes (validated on read). */
export type EntryMeta = Readonly<Record<string, unknown>>;

export interface StoredEntry extends EntryInfo {
  meta: EntryMeta;
}

export interface BudgetSetting {
  /** The budget in force, in bytes. */
  bytes: number;
  /** True when it is the automatic budget (see autoBudget). */
  auto: boolean;
}

/**
 * A persistent key -> bytes cache with a size budget and least-recently-used eviction. The
 * browser's is ByteStore (IndexedDB); the tile and embedding caches only see this interface,
 * so their logic is tested in Node over an in-memory one. Methods reject with AppError.
 */
export interface CacheStore {
  /** The bytes and facts of an entry (marking it used now), or undefined when absent. */
  get(key: string): Promise<{ bytes: ArrayBuffer; meta: EntryMeta } | undefined>;
  /** Stores an entry, then evicts past the budget. False: larger than the budget, not stored. */
  put(key: string, kind: EntryKind, bytes: ArrayBuffer, meta: EntryMeta): Promise<boolean>;
  /** Entries whose key starts with `prefix`, without their bytes. */
  list(prefix: string): Promise<StoredEntry[]>;
  delete(keys: readonly string[]): Promise<void>;
  stats(): Promise<CacheStats>;
  /** Removes every entry; returns what there was. */
  clear(): Promise<CacheStats>;
  budget(): Promise<BudgetSetting>;
  /** A budget in bytes, or null for the automatic one; evicts at once when it shrinks. */
  setBudget(bytes: number | null): Promise<void>;
  close(): void;
}
