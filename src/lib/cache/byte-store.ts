import { AppError } from '../errors.ts';
import {
  autoBudget,
  type CacheStats,
  type EntryKind,
  planEviction,
  summarize,
  validBudget,
} from './budget.ts';
import type { BudgetSetting, CacheStore, EntryMeta, StoredEntry } from './store.ts';

/** A database of its own: the sessions' database (state/session-store.ts) keeps its version. */
export const CACHE_DB = 'earth-embedding-explorer-cache';
const ENTRIES = 'entries';
const BYTES = 'bytes';
const SETTINGS = 'settings';
const BUDGET_KEY = 'budget';
/** How long after the last read its use is written (a scene's reads come in one burst). */
const TOUCH_DELAY_MS = 200;

function storageError(error: DOMException | null | undefined): AppError {
  if (error?.name === 'QuotaExceededError')
    return new AppError('too-large', 'Browser storage is full (the quota for this site is used up).');
  return new AppError(
    'internal',
    `Browser storage failed: ${error?.message || error?.name || 'unknown error'}`,
  );
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(storageError(r.error));
  });
}

/** A write counts once its transaction commits: quota errors surface there, not on the request. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(storageError(tx.error));
    tx.onerror = () => reject(storageError(tx.error));
  });
}

function isEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.key === 'string' &&
    (e.kind === 'tile' || e.kind === 'embedding' || e.kind === 'search') &&
    typeof e.size === 'number' &&
    typeof e.lastUsed === 'number' &&
    typeof e.meta === 'object' &&
    e.meta !== null
  );
}

/**
 * The cache in the browser's IndexedDB, usable in the window and in workers alike. Entry facts
 * (size, last use) live apart from the bytes, so stats and eviction never read megabytes. Each
 * context keeps a running total of what it wrote and trims when that passes the budget; a trim
 * reads the true total, so what other contexts wrote is counted then. Whoever opens it closes it.
 */
export class ByteStore implements CacheStore {
  /** Bytes this context believes are stored (exact after open and after each trim). */
  private total = 0;
  private quota: Promise<number | undefined> | undefined;
  private lastTime = 0;

  private constructor(private readonly db: IDBDatabase) {
    // Let a future version of the app upgrade the database instead of waiting on this tab
    // (with this tab's pending uses written first).
    db.onversionchange = () => {
      this.flushTouches();
      db.close();
    };
  }

  static async open(): Promise<ByteStore> {
    if (typeof indexedDB === 'undefined')
      throw new AppError('unsupported', 'This browser offers no IndexedDB here (private browsing?).');
    let r: IDBOpenDBRequest;
    try {
      r = indexedDB.open(CACHE_DB, 1);
    } catch (error) {
      throw new AppError('unsupported', `Browser storage cannot be opened: ${String(error)}`);
    }
    r.onupgradeneeded = () => {
      const db = r.result;
      if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: 'key' });
      if (!db.objectStoreNames.contains(BYTES)) db.createObjectStore(BYTES);
      if (!db.objectStoreNames.contains(SETTINGS)) db.createObjectStore(SETTINGS);
    };
    const store = new ByteStore(await request(r));
    try {
      store.total = (await store.stats()).bytes;
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /** Milliseconds, strictly increasing here, so two uses within one millisecond keep their order. */
  private now(): number {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return this.lastTime;
  }

  /** Runs `body` in one transaction and resolves once it committed (or rejects with why not). */
  private async inTransaction<T>(
    stores: string[],
    mode: IDBTransactionMode,
    body: (tx: IDBTransaction) => Promise<T>,
  ): Promise<T> {
    const tx = this.db.transaction(stores, mode);
    const done = committed(tx);
    try {
      const value = await body(tx);
      await done;
      return value;
    } catch (error) {
      done.catch(() => undefined);
      try {
        tx.abort();
      } catch {
        // Already committed or aborted: nothing left to undo.
      }
      throw error;
    }
  }

  /**
   * Reads in a readonly transaction, which IndexedDB runs beside other readers: a scene's tiles
   * are read by four bands at once, and a readwrite transaction per read (to mark it used) made
   * them wait on each other's commits. The use is recorded later, in one write for many reads
   * (touch); every write writes pending uses first, so eviction sees them in order.
   */
  async get(key: string): Promise<{ bytes: ArrayBuffer; meta: EntryMeta } | undefined> {
    const tx = this.db.transaction([ENTRIES, BYTES], 'readonly');
    const [entry, bytes] = await Promise.all([
      request(tx.objectStore(ENTRIES).get(key)),
      request(tx.objectStore(BYTES).get(key)),
    ]);
    if (entry === undefined && bytes === undefined) return undefined;
    if (!isEntry(entry) || !(bytes instanceof ArrayBuffer) || bytes.byteLength !== entry.size) {
      // Half an entry (an interrupted write) or a foreign value: drop it, then say so.
      await this.delete([key]);
      throw new AppError('internal', 'Browser storage held a corrupt cache entry; it was removed.');
    }
    this.touch(key);
    return { bytes, meta: entry.meta };
  }

  /** When each entry was read, for the uses not yet written; written together after a burst. */
  private touched = new Map<string, number>();
  private touchTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Records a use; the first of a burst starts the timer and later ones join it (a timer
   * restarted at every read would put the write off for as long as a scene's reads go on,
   * and another tab's trim would meanwhile see those entries as unused).
   */
  private touch(key: string): void {
    this.touched.set(key, this.now());
    this.touchTimer ??= setTimeout(() => this.flushTouches(), TOUCH_DELAY_MS);
  }

  /**
   * Starts the write of pending uses now. Transactions that share a store run in the order
   * they were created, so whatever an operation creates after this sees the uses. Reads created
   * after it wait for this one write, not for one write per read as before.
   */
  private flushTouches(): void {
    clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    if (this.touched.size === 0) return;
    const uses = [...this.touched];
    this.touched.clear();
    let tx: IDBTransaction;
    try {
      tx = this.db.transaction([ENTRIES], 'readwrite');
    } catch {
      // The connection closed meanwhile (a newer version of the app asked, or a read answered
      // after close()): these uses are lost, which only makes eviction a little less exact.
      return;
    }
    const store = tx.objectStore(ENTRIES);
    for (const [key, lastUsed] of uses) {
      // Only an entry still there, and never back in time (it may have been rewritten since).
      const r = store.get(key);
      r.onsuccess = () => {
        if (isEntry(r.result) && r.result.lastUsed < lastUsed) store.put({ ...r.result, lastUsed });
      };
    }
    // A lost use only makes eviction a little less exact; the next read records it again.
    committed(tx).catch(() => undefined);
  }

  async put(key: string, kind: EntryKind, bytes: ArrayBuffer, meta: EntryMeta): Promise<boolean> {
    const budget = (await this.budget()).bytes;
    if (bytes.byteLength > budget) return false;
    const entry: StoredEntry = { key, kind, size: bytes.byteLength, lastUsed: this.now(), meta };
    this.flushTouches();
    await this.inTransaction([ENTRIES, BYTES], 'readwrite', async (tx) => {
      tx.objectStore(ENTRIES).put(entry);
      tx.objectStore(BYTES).put(bytes, key);
    });
    this.total += bytes.byteLength;
    if (this.total > budget) await this.trim(budget);
    return true;
  }

  async list(prefix: string): Promise<StoredEntry[]> {
    const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
    const found = await request(this.db.transaction(ENTRIES, 'readonly').objectStore(ENTRIES).getAll(range));
    return found.filter(isEntry);
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    this.flushTouches();
    await this.inTransaction([ENTRIES, BYTES], 'readwrite', async (tx) => {
      for (const key of keys) {
        tx.objectStore(ENTRIES).delete(key);
        tx.objectStore(BYTES).delete(key);
      }
    });
  }

  private async all(): Promise<StoredEntry[]> {
    const found = await request(this.db.transaction(ENTRIES, 'readonly').objectStore(ENTRIES).getAll());
    return found.filter(isEntry);
  }

  async stats(): Promise<CacheStats> {
    return summarize(await this.all());
  }

  async clear(): Promise<CacheStats> {
    const before = await this.stats();
    this.flushTouches();
    await this.inTransaction([ENTRIES, BYTES], 'readwrite', async (tx) => {
      tx.objectStore(ENTRIES).clear();
      tx.objectStore(BYTES).clear();
    });
    this.total = 0;
    return before;
  }

  async budget(): Promise<BudgetSetting> {
    const stored = validBudget(
      await request(this.db.transaction(SETTINGS, 'readonly').objectStore(SETTINGS).get(BUDGET_KEY)),
    );
    if (stored !== null) return { bytes: stored, auto: false };
    // navigator.storage exists only in secure contexts; asked once per store.
    const storage = globalThis.navigator?.storage;
    this.quota ??= storage?.estimate
      ? storage.estimate().then(
          (e) => e.quota,
          () => undefined,
        )
      : Promise.resolve(undefined);
    return { bytes: autoBudget(await this.quota), auto: true };
  }

  async setBudget(bytes: number | null): Promise<void> {
    await this.inTransaction([SETTINGS], 'readwrite', async (tx) => {
      tx.objectStore(SETTINGS).put(validBudget(bytes), BUDGET_KEY);
    });
    await this.trim((await this.budget()).bytes);
  }

  /** Evicts least recently used entries until the true total fits the budget. */
  private async trim(budget: number): Promise<void> {
    this.flushTouches();
    const entries = await this.all();
    const evict = new Set(planEviction(entries, budget));
    await this.delete([...evict]);
    this.total = entries.reduce((sum, e) => sum + (evict.has(e.key) ? 0 : e.size), 0);
  }

  close(): void {
    // Closing lets the transactions already created finish, the uses' write among them.
    this.flushTouches();
    this.db.close();
  }
}
