import type { EmbeddingGrid } from '../embeddings/index.ts';
import type {
  BackendPreference,
  EncoderInfo,
  EncoderSpec,
  ModelIdentity,
  ModelOption,
} from '../encoder/index.ts';
import { type EncodingPlan, familyOf, type PixelPlan, planEncoding } from '../encoder/index.ts';
import { serializeError } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import type { Scene } from '../scene/index.ts';
import { formatBytes, formatWhen } from '../text/index.ts';
import type { CacheStats } from './budget.ts';
import { ByteStore } from './byte-store.ts';
import { openWithinDeadline, withDeadline } from './deadline.ts';
import { type CachedEmbeddings, decodeEmbeddings, encodeEmbeddings } from './embedding-codec.ts';
import { embeddingKey, inputDigest } from './embedding-key.ts';
import type { BudgetSetting, CacheStore } from './store.ts';

/** The user's choices that decide a grid besides the model: resolution, backend, time steps. */
export interface EncodingSettings {
  factor: number;
  preference: BackendPreference;
  series?: readonly Scene[];
  /**
   * The plan for these settings, when the caller made it already (the encoder worker plans once
   * for the lookup and the run that follows a miss: the spectral texture costs ~0.2 s per 1M px).
   */
  plan?: () => EncodingPlan;
}

/** What a lookup found: nothing cacheable (no key), a miss (key only), or the grid. */
export interface EmbeddingLookup {
  key?: string;
  model?: ModelIdentity;
  hit?: CachedEmbeddings & { note: string; gridSpec: GridSpec; factor: number };
}

/**
 * The page's side of the browser's cache (the scene worker keeps its own connection for
 * tiles): embeddings by key, and the stats, budget and clearing the Storage panel offers.
 * Storage never breaks the app: the first failure turns this side off and is said once
 * (takeNotice), as is a failure the scene worker met. Whoever creates it calls close().
 */
export class BrowserCache {
  private store: Promise<CacheStore | undefined> | undefined;
  private failure: string | undefined;
  private told = false;

  constructor(private readonly openStore: () => Promise<CacheStore> = () => ByteStore.open()) {}

  /** Why the cache is off in this page, if it is. */
  get problem(): string | undefined {
    return this.failure;
  }

  private fail(error: unknown): void {
    this.failure ??= serializeError(error).message;
  }

  private async usable(): Promise<CacheStore | undefined> {
    this.store ??= openWithinDeadline(this.openStore).catch((error: unknown) => {
      this.fail(error);
      return undefined;
    });
    const store = await this.store;
    return this.failure === undefined ? store : undefined;
  }

  /** A storage problem worded for the user, the first time one is known: this page's or `other`. */
  takeNotice(other?: string): string | undefined {
    if (this.told) return undefined;
    const text =
      other ??
      (this.failure &&
        `Embeddings are not cached in this browser: ${this.failure} The app goes on without its cache.`);
    if (text) this.told = true;
    return text;
  }

  /**
   * Looks up the grid this model would compute from the scene at these settings; `identify`
   * names the exact model the encoder would run (the encoder worker answers it). Yearly runs
   * and MOSAIKS are not cached (their inputs span several scenes, or filters of the scene).
   */
  async findEmbeddings(
    scene: Scene,
    option: ModelOption,
    settings: EncodingSettings,
    identify: (spec: EncoderSpec) => Promise<ModelIdentity>,
  ): Promise<EmbeddingLookup> {
    if (!familyOf(option).cached || (settings.series?.length ?? 0) > 1) return {};
    const store = await this.usable();
    if (!store) return {};
    let model: ModelIdentity;
    let plan: PixelPlan;
    try {
      const planned = settings.plan?.() ?? planEncoding(option, scene, settings.factor, settings.preference);
      if (planned.unit !== 'pixels') return {};
      plan = planned;
      model = await identify(plan.spec);
    } catch {
      return {};
    }
    const { spec, target } = plan;
    let key: string | undefined;
    try {
      key = await embeddingKey({
        scene: { id: scene.id, source: scene.source, itemIds: scene.itemIds ?? [], datetime: scene.datetime },
        grid: target.grid,
        bands: spec.bands,
        sclMask: scene.sclMask ?? null,
        model,
        params: { factor: settings.factor, ...plan.keyParams },
        input: await inputDigest(target, spec.bands),
      });
      const found = await withDeadline(store.get(key));
      if (!found) return { key, model };
      const hit = decodeEmbeddings(found.bytes, found.meta, globalThis.crossOriginIsolated === true);
      return {
        key,
        model,
        hit: {
          ...hit,
          gridSpec: target.grid,
          factor: settings.factor,
          note: `Embeddings from the cache (computed ${formatWhen(hit.computedAt)}).`,
        },
      };
    } catch (error) {
      if (key) await store.delete([key]).catch(() => undefined);
      this.fail(error);
      return {};
    }
  }

  /** Stores a computed grid under its lookup's key; returns a note when it could not be kept. */
  async saveEmbeddings(
    lookup: EmbeddingLookup,
    grid: EmbeddingGrid,
    info: EncoderInfo,
  ): Promise<string | undefined> {
    const { key, model } = lookup;
    // A run that changed backend midway (WebGPU lost) mixes two models' outputs: not this key's grid.
    if (!key || !model || lookup.hit || info.backend !== model.backend || info.dtype !== model.dtype)
      return undefined;
    const store = await this.usable();
    if (!store) return undefined;
    try {
      const { bytes, meta } = encodeEmbeddings({ grid, info, computedAt: new Date().toISOString() });
      if (await withDeadline(store.put(key, 'embedding', bytes, meta))) return undefined;
      const budget = await store.budget();
      return `Embeddings are not cached: ${formatBytes(bytes.byteLength)} is more than the cache's budget (${formatBytes(budget.bytes)}).`;
    } catch (error) {
      this.fail(error);
      return this.takeNotice();
    }
  }

  /** Entries, bytes and budget for the Storage panel; undefined when storage is off. */
  async overview(): Promise<{ stats: CacheStats; budget: BudgetSetting } | undefined> {
    const store = await this.usable();
    if (!store) return undefined;
    return { stats: await store.stats(), budget: await store.budget() };
  }

  /** Empties the cache (tiles and embeddings); returns what was removed. */
  async clear(): Promise<CacheStats | undefined> {
    return (await this.usable())?.clear();
  }

  /** A budget in bytes, or null for the automatic one. */
  async setBudget(bytes: number | null): Promise<void> {
    await (await this.usable())?.setBudget(bytes);
  }

  close(): void {
    void this.store?.then((store) => store?.close());
  }
}
