import { PrecomputedClient, type PrecomputedWhere } from '../lib/clients/index.ts';
import type { EncoderInfo } from '../lib/encoder/index.ts';
import { AppError } from '../lib/errors.ts';
import { type BBox, type GridSpec, gridBounds, transformBBox } from '../lib/geo/index.ts';
import type { PrecomputedEstimate, PrecomputedFamily, PrecomputedResult } from '../lib/precomputed/index.ts';
import { listPackEmbeddings, type PackEmbeddings, PRODUCTS, productFor } from '../lib/precomputed/index.ts';
import type { ViewState } from '../lib/state/index.ts';
import { formatBytes } from '../lib/text/index.ts';
import { CompareStore } from './compare-store.svelte.ts';
import type { Explorer } from './explorer.svelte.ts';
import { Job } from './job.svelte.ts';

const BASE_URLS_KEY = 'eee.precomputed.baseUrls';
/** Until a read has been timed here, estimates assume this download rate (a modest broadband link). */
export const ASSUMED_BYTES_PER_SECOND = 10 * 2 ** 20;

/** How the read embeddings are used: shown (they replace those on screen), compared, or a change layer. */
export type LoadMode = 'show' | 'compare' | 'change';

/** [west, south, east, north] of a grid in degrees, for a link. */
function wgs84Box(grid: GridSpec): BBox {
  return transformBBox(gridBounds(grid), grid.epsg, 4326);
}

function readBaseUrls(): Record<string, string> {
  try {
    const raw: unknown = JSON.parse(globalThis.localStorage?.getItem(BASE_URLS_KEY) ?? '{}');
    if (typeof raw !== 'object' || raw === null) return {};
    return Object.fromEntries(
      Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/**
 * "Precomputed embeddings" as a source: the product, year and base URL chosen (base URLs are
 * kept per product in the browser), the estimate before loading, and the loads themselves.
 * It owns the precomputed worker and its Job (AbortController, progress); the embeddings it
 * reads go to the explorer unchanged, or to the comparison, or become a change layer.
 */
export class PrecomputedStore {
  readonly products = PRODUCTS.map(({ family, title, years }) => ({ family, title, years }));
  family = $state<PrecomputedFamily>(PRODUCTS[0]!.family);
  year = $state<number | undefined>(PRODUCTS[0]!.years?.at(-1));
  /** Read onto the loaded scene's grid (to compare on its pixels) rather than over the area. */
  onSceneGrid = $state(true);
  estimate = $state.raw<(PrecomputedEstimate & { grid: GridSpec }) | undefined>(undefined);
  /** What the last read fetched and how long it took. */
  loaded = $state.raw<
    { label: string; files: number; bytes: number; requests: number; seconds: number } | undefined
  >(undefined);
  error = $state<string | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  /** The download rate of the last read, which later estimates use. */
  bytesPerSecond = $state<number | undefined>(undefined);
  /** Years the base URL's collection has (its items' dates), found by the last estimate. */
  private foundYears = $state.raw<number[]>([]);
  private baseUrls = $state<Record<string, string>>(readBaseUrls());
  private readonly client = new PrecomputedClient();
  readonly compare = new CompareStore(this.client);
  readonly job = new Job('load', {
    onStart: () => {
      this.error = undefined;
      this.notice = undefined;
    },
    onError: (message) => {
      this.error = message;
    },
    onNotice: (message) => {
      this.notice = message;
    },
  });

  constructor(private readonly explorer: Explorer) {}

  get title(): string {
    return productFor(this.family).title;
  }

  /** The product's years, or those a collection's items carry (known after an estimate). */
  get years(): readonly number[] {
    return productFor(this.family).years ?? this.foundYears;
  }

  get baseUrl(): string {
    return this.baseUrls[this.family] ?? productFor(this.family).defaultBaseUrl;
  }

  setBaseUrl(url: string): void {
    this.baseUrls = { ...this.baseUrls, [this.family]: url.trim() };
    this.estimate = undefined;
    this.foundYears = [];
    try {
      localStorage.setItem(BASE_URLS_KEY, JSON.stringify(this.baseUrls));
    } catch {
      this.notice =
        'The base URL could not be kept in this browser (storage is off); it applies until you leave.';
    }
  }

  setFamily(family: PrecomputedFamily): void {
    this.family = family;
    this.year = productFor(family).years?.at(-1);
    this.estimate = undefined;
    this.foundYears = [];
  }

  setYear(year: number | undefined): void {
    this.year = year;
    this.estimate = undefined;
  }

  /** The precomputed embeddings the loaded pack holds (the `embeddings` links of its catalog.json). */
  packEmbeddings = $state.raw<PackEmbeddings[]>([]);
  private packCatalog: string | undefined;

  /** Lists the embeddings of the pack whose catalog is at `catalogUrl` (none: no pack loaded). */
  async findPackEmbeddings(catalogUrl: string | undefined): Promise<void> {
    if (catalogUrl === this.packCatalog) return;
    this.packCatalog = catalogUrl;
    this.packEmbeddings = [];
    if (!catalogUrl) return;
    try {
      const found = await listPackEmbeddings(catalogUrl);
      if (this.packCatalog === catalogUrl) this.packEmbeddings = found;
    } catch (error) {
      this.notice = `The pack's precomputed embeddings could not be listed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Chooses embeddings the pack holds: they are an embedding collection inside the pack, read
   * offline like any other (`collection` at the pack's address, its year). The address is not
   * kept as the collection setting: it belongs to the pack, not to the user's choice.
   */
  usePackEmbeddings(entry: PackEmbeddings): void {
    this.family = 'collection';
    this.baseUrls = { ...this.baseUrls, collection: entry.href };
    this.year = entry.year;
    this.foundYears = entry.year === undefined ? [] : [entry.year];
    this.estimate = undefined;
  }

  /** Seconds a read of `bytes` should take at the measured (else assumed) rate. */
  secondsFor(bytes: number): number {
    return bytes / (this.bytesPerSecond ?? ASSUMED_BYTES_PER_SECOND);
  }

  /** Where to read: the embeddings' grid on screen for a comparison, else the scene's or the area's. */
  private where(area: BBox | undefined, mode: LoadMode, year = this.year): PrecomputedWhere {
    const onScreen = mode === 'show' ? undefined : this.explorer.analysis.gridSpec;
    if (mode !== 'show' && !onScreen)
      throw new AppError('bad-input', 'Compute or load embeddings first, to compare with them.');
    const sceneGrid = this.onSceneGrid
      ? (this.explorer.analysis.gridSpec ?? this.explorer.scene?.grid)
      : undefined;
    const grid = onScreen ?? sceneGrid;
    if (!this.baseUrl) throw new AppError('bad-input', 'Give the address (URL) of the embeddings first.');
    if (!grid && !area)
      throw new AppError(
        'bad-input',
        'Choose an area first (draw it on the map or type it), or load a scene.',
      );
    return {
      family: this.family,
      baseUrl: this.baseUrl,
      ...(year !== undefined ? { year } : {}),
      ...(grid ? { grid } : { area }),
    };
  }

  /** The grid, size, bytes and time of a load, before loading. */
  async estimateFor(area: BBox | undefined): Promise<void> {
    await this.job.run('Estimating', async (signal) => {
      this.estimate = undefined;
      this.estimate = await this.client.estimate(this.where(area, 'show'), signal);
      this.foundYears = this.estimate.years ?? [];
      // A collection read without a year gives its latest: the choice says so. A product with
      // its own years (AlphaEarth, TESSERA) finds none here and keeps the year chosen.
      if (this.foundYears.length && (this.year === undefined || !this.foundYears.includes(this.year)))
        this.year = this.foundYears.at(-1);
    });
  }

  private async read(
    where: PrecomputedWhere,
    signal: AbortSignal,
  ): Promise<PrecomputedResult & { grid: GridSpec }> {
    const started = performance.now();
    const result = await this.client.read(
      where,
      (p) =>
        p.stage === 'index'
          ? this.job.report('Opening the embeddings files', p.done, p.total, 'files')
          : this.job.report(`Reading embeddings (${formatBytes(p.bytes)})`, p.done, p.total, 'bands'),
      signal,
    );
    const seconds = (performance.now() - started) / 1000;
    const { bytes, requests } = result.fetched;
    if (bytes > 0 && seconds > 0) this.bytesPerSecond = bytes / seconds;
    this.loaded = { label: result.label, files: result.sources.length, bytes, requests, seconds };
    return result;
  }

  /**
   * Reads the product: `show` puts it on screen for every tool (on the scene's grid, or the
   * area's); `compare` keeps it beside the embeddings on screen, same grid; `change` maps
   * the change from the embeddings on screen to it (another year of the same product).
   */
  async load(area: BBox | undefined, mode: LoadMode, year = this.year): Promise<void> {
    await this.job.run(
      mode === 'change' ? `Change to ${year}` : 'Loading precomputed embeddings',
      async (signal) => {
        const where = this.where(area, mode, year);
        const result = await this.read(where, signal);
        const { embeddings, grid, label } = result;
        if (mode === 'compare')
          return this.compare
            .setOther(embeddings, grid, this.explorer.analysis.gridSpec, label)
            .then(() => this.compare.follow(this.explorer.analysis));
        if (mode === 'change') return this.explorer.analysis.changeTo(embeddings, label);
        this.compare.clear();
        const info: EncoderInfo = {
          model: `precomputed-${this.family}`,
          name: label,
          bands: [],
          featureNames: result.bandNames,
          dim: embeddings.dim,
          backend: 'precomputed',
          dtype: 'float32',
          reason: `Read from ${result.sources.length} file(s): ${formatBytes(result.fetched.bytes)} in ${result.fetched.requests} requests.`,
        };
        const link = {
          family: this.family,
          baseUrl: this.baseUrl,
          ...(year !== undefined ? { year } : {}),
          // A shareable scene gives the grid again; otherwise the link carries the area read.
          ...(this.explorer.source ? {} : { area: wgs84Box(grid) }),
        };
        await this.explorer.showReadEmbeddings(embeddings, grid, info, link);
      },
    );
  }

  /** A link naming precomputed embeddings on another origin, waiting for the user's yes. */
  pendingLink = $state.raw<{ state: ViewState; origin: string } | undefined>(undefined);

  /**
   * Rebuilds a linked view whose embeddings were precomputed: the product, base URL and year
   * the link names, read again here, then its picks and clusters. A base URL on another origin
   * than the app's waits for the user to agree (pendingLink).
   */
  async openLink(state: ViewState, confirmed = false): Promise<void> {
    const link = state.precomputed;
    if (!link) return;
    const origin = new URL(link.baseUrl).origin;
    if (!confirmed && origin !== globalThis.location?.origin) {
      this.pendingLink = { state, origin };
      return;
    }
    this.pendingLink = undefined;
    try {
      productFor(link.family);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return;
    }
    this.family = link.family as PrecomputedFamily;
    this.year = link.year;
    this.baseUrls = { ...this.baseUrls, [link.family]: link.baseUrl };
    this.onSceneGrid = !link.area;
    // The estimate first: it finds the collection's years for the year choice (and fails early).
    await this.estimateFor(link.area);
    if (!this.estimate) return;
    this.year = link.year;
    await this.load(link.area, 'show', link.year);
    if (this.explorer.precomputed) await this.explorer.applyPicks(state);
  }

  dispose(): void {
    this.job.cancel();
    this.compare.clear();
    this.client.dispose();
  }
}
