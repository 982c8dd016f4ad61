import type { StoredRange } from '../cog/index.ts';
import { AppError, serializeError } from '../errors.ts';
import type { SceneStore } from '../scene/index.ts';
import type { SceneItem } from '../stac/index.ts';
import { openWithinDeadline, withDeadline } from './deadline.ts';
import type { CacheStore } from './store.ts';
import { parseTileKey, tileKey, tilePrefix } from './tile-key.ts';

/** The fields the scene reader needs of a kept item, as a light check that an entry is whole. */
function looksLikeItem(value: unknown): value is SceneItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.id === 'string' &&
    typeof item.datetime === 'string' &&
    Array.isArray(item.bboxWgs84) &&
    item.bboxWgs84.length === 4 &&
    typeof item.assets === 'object' &&
    item.assets !== null &&
    Object.values(item.assets).every((a) => typeof (a as { href?: unknown })?.href === 'string')
  );
}

/**
 * What the scene worker keeps in the browser's storage: COG byte ranges for the range reader
 * (cog/range-source.ts), and the items of each search, used only when the search cannot reach
 * its server (offline). Storage must never break loading: the first failure (quota, a corrupt
 * entry, no IndexedDB) turns the cache off for the rest of the session and is reported once
 * (takeProblem); loading then goes on over the network. Whoever opens it closes it.
 */
export class SceneCache implements SceneStore {
  private problem: string | undefined;
  private told = false;
  private readonly writes = new Set<Promise<unknown>>();

  private constructor(private readonly store: CacheStore | undefined) {}

  /** Opens the store; a store that cannot be opened gives a cache that is off and says why. */
  static async open(openStore: () => Promise<CacheStore>): Promise<SceneCache> {
    try {
      return new SceneCache(await openWithinDeadline(openStore));
    } catch (error) {
      const off = new SceneCache(undefined);
      off.fail(error);
      return off;
    }
  }

  get active(): boolean {
    return this.store !== undefined && this.problem === undefined;
  }

  /** Records the first storage failure; the cache is off from then on. */
  fail(error: unknown): void {
    this.problem ??= serializeError(error).message;
  }

  /** The failure, worded for the user, the first time it is asked for; undefined after. */
  takeProblem(): string | undefined {
    if (this.problem === undefined || this.told) return undefined;
    this.told = true;
    return `Tiles are not cached in this browser: ${this.problem} The app goes on without its cache.`;
  }

  /** The ranges stored for a file (any version); none when the cache is off or fails. */
  async ranges(url: string): Promise<StoredRange[]> {
    const store = this.store;
    if (!store || !this.active) return [];
    try {
      const out: StoredRange[] = [];
      for (const entry of await withDeadline(store.list(tilePrefix(url)))) {
        const key = parseTileKey(entry.key);
        const size = entry.meta.size;
        if (!key || key.url !== url || typeof size !== 'number' || entry.size !== key.length) continue;
        out.push({ ...key, key: entry.key, size, lastUsed: entry.lastUsed });
      }
      return out;
    } catch (error) {
      this.fail(error);
      return [];
    }
  }

  /** A stored range's bytes; undefined when it was evicted meanwhile or storage failed. */
  async read(range: StoredRange): Promise<Uint8Array | undefined> {
    const store = this.store;
    if (!store || !this.active) return undefined;
    try {
      const found = await withDeadline(store.get(range.key));
      return found && new Uint8Array(found.bytes);
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  /** Stores fetched bytes in the background (settle() waits for them). */
  write(url: string, version: string, size: number, offset: number, data: Uint8Array): void {
    const store = this.store;
    if (!store || !this.active || data.length === 0) return;
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const bytes = (whole ? data : data.slice()).buffer as ArrayBuffer;
    const key = tileKey({ url, version, offset, length: data.length });
    this.track(store.put(key, 'tile', bytes, { size }));
  }

  /** Forgets ranges of an older version of a file. */
  drop(ranges: readonly StoredRange[]): void {
    if (this.store && this.active && ranges.length) this.track(this.store.delete(ranges.map((r) => r.key)));
  }

  /** Keeps a search's items (without their raw JSON) for an offline revisit, in the background. */
  keepItems(key: string, items: readonly SceneItem[]): void {
    const store = this.store;
    if (!store || !this.active) return;
    const savedAt = new Date().toISOString();
    const slim = items.map(({ raw: _raw, ...item }) => item);
    const bytes = new TextEncoder().encode(JSON.stringify(slim));
    this.track(store.put(key, 'search', bytes.buffer as ArrayBuffer, { savedAt }));
  }

  /** The items a search found when it last reached its server, and when that was. */
  async storedItems(key: string): Promise<{ items: SceneItem[]; savedAt: string } | undefined> {
    const store = this.store;
    if (!store || !this.active) return undefined;
    try {
      const found = await withDeadline(store.get(key));
      if (!found) return undefined;
      const items: unknown = JSON.parse(new TextDecoder().decode(found.bytes));
      const savedAt = found.meta.savedAt;
      if (!Array.isArray(items) || !items.every(looksLikeItem) || typeof savedAt !== 'string')
        throw new AppError('internal', 'Browser storage held a corrupt search entry.');
      return { items, savedAt };
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.fail(error))
      .finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /** Resolves once every write started so far has finished, failed, or outlived the deadline. */
  async settle(): Promise<void> {
    try {
      while (this.writes.size) await withDeadline(Promise.all([...this.writes]));
    } catch (error) {
      this.fail(error);
    }
  }

  close(): void {
    this.store?.close();
  }
}
