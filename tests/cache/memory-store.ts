import { autoBudget, type EntryKind, planEviction, summarize } from '../../src/lib/cache/budget.ts';
import type { BudgetSetting, CacheStore, EntryMeta, StoredEntry } from '../../src/lib/cache/store.ts';
import { AppError } from '../../src/lib/errors.ts';

/**
 * The CacheStore contract in memory, with the same budget bookkeeping (budget.ts) as the
 * IndexedDB store, so the tile and embedding caches are tested in Node. `failWith` makes every
 * call reject as a broken browser storage would.
 */
export class MemoryStore implements CacheStore {
  readonly entries = new Map<string, StoredEntry & { bytes: ArrayBuffer }>();
  budgetBytes: number | null = null;
  failWith: AppError | undefined;
  /** Methods that fail with `failWith` (all when empty). */
  readonly failOn = new Set<string>();
  /** Calls made, by method, to check what the caches ask of the store. */
  readonly calls: string[] = [];
  private clock = 0;

  private check(method: string): void {
    this.calls.push(method);
    if (this.failWith && (this.failOn.size === 0 || this.failOn.has(method))) throw this.failWith;
  }

  async get(key: string) {
    this.check('get');
    const e = this.entries.get(key);
    if (!e) return undefined;
    e.lastUsed = ++this.clock;
    return { bytes: e.bytes.slice(0), meta: e.meta };
  }

  async put(key: string, kind: EntryKind, bytes: ArrayBuffer, meta: EntryMeta): Promise<boolean> {
    this.check('put');
    const budget = (await this.budget()).bytes;
    if (bytes.byteLength > budget) return false;
    this.entries.set(key, {
      key,
      kind,
      size: bytes.byteLength,
      lastUsed: ++this.clock,
      meta,
      bytes: bytes.slice(0),
    });
    for (const k of planEviction([...this.entries.values()], budget)) this.entries.delete(k);
    return true;
  }

  async list(prefix: string): Promise<StoredEntry[]> {
    this.check('list');
    return [...this.entries.values()]
      .filter((e) => e.key.startsWith(prefix))
      .map(({ key, kind, size, lastUsed, meta }) => ({ key, kind, size, lastUsed, meta }));
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.check('delete');
    for (const k of keys) this.entries.delete(k);
  }

  async stats() {
    this.check('stats');
    return summarize([...this.entries.values()]);
  }

  async clear() {
    const before = await this.stats();
    this.entries.clear();
    return before;
  }

  async budget(): Promise<BudgetSetting> {
    return this.budgetBytes === null
      ? { bytes: autoBudget(undefined), auto: true }
      : { bytes: this.budgetBytes, auto: false };
  }

  async setBudget(bytes: number | null): Promise<void> {
    this.budgetBytes = bytes;
    const budget = (await this.budget()).bytes;
    for (const k of planEviction([...this.entries.values()], budget)) this.entries.delete(k);
  }

  close(): void {}
}

export const quotaError = () =>
  new AppError('too-large', 'Browser storage is full (the quota for this site is used up).');
