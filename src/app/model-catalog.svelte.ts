import { untrack } from 'svelte';
import type { EncoderClient } from '../lib/clients/index.ts';
import type { BackendPreference } from '../lib/encoder/index.ts';
import {
  encoderFamilies,
  familyOf,
  generatedOptions,
  type ModelOption,
  modelFromFiles,
  modelFromUrl,
} from '../lib/encoder/index.ts';
import { serializeError } from '../lib/errors.ts';
import type { Scene, YearlyCadence } from '../lib/scene/index.ts';
import { type RateRange, ThroughputBook } from '../lib/state/index.ts';
import { calibratedPreference } from './calibration.ts';

/**
 * The models the picker offers and the user's choices for them. A model that fails to load
 * (bad manifest, wrong checksum) is reported and not added; the current choice stays.
 */
export class ModelCatalog {
  /** The generated models first (the registry's order), then manifest models as they load. */
  options = $state.raw<ModelOption[]>(generatedOptions());
  selectedId = $state(generatedOptions()[0]!.id);
  /** Encode on blocks of factor x factor pixels (1 = every 10 m pixel). */
  factor = $state(1);
  preference = $state<BackendPreference>('auto');
  /** Yearly mode: the best scene of each month as Presto's time steps. */
  timeSeries = $state(false);
  /** Yearly mode's spacing: one date per month (up to 12) or per half-month (up to 24). */
  cadence = $state<YearlyCadence>('month');
  /** Per built-in model (Presto, Galileo-nano): why it is not offered, while it is not. */
  private notes = $state<Record<string, string>>({ Presto: 'Checking for the Presto model…' });
  /** The outcome of the last "load your own model", for the picker to show. */
  userMessage = $state<{ ok: boolean; text: string } | undefined>(undefined);
  busy = $state(false);
  private loading: Promise<void> = Promise.resolve();
  /** This device's measured encoding rates (remembered in the browser), for estimates and backends. */
  readonly speed = new ThroughputBook(typeof localStorage === 'undefined' ? undefined : localStorage);
  /** Bumped on every new measurement, so estimates that read `speed` are derived again. */
  measured = $state(0);

  /**
   * The backend preference for encoding the selected model on `scene`: measures this device
   * first when it never ran the model (calibration.ts), and never leaves an automatic choice
   * on a backend measured slower than WASM.
   */
  async calibrate(
    scene: Scene,
    client: EncoderClient,
    report: (message: string) => void,
    signal: AbortSignal,
    runsOn?: string,
  ): Promise<{ preference: BackendPreference; notice?: string }> {
    const settings = { factor: this.factor, preference: this.preference };
    const before = this.speed.rate(this.selected.id)?.samples ?? 0;
    const out = await calibratedPreference(
      this.selected,
      scene,
      settings,
      client,
      this.speed,
      report,
      signal,
      runsOn,
    );
    if ((this.speed.rate(this.selected.id)?.samples ?? 0) !== before) this.measured++;
    return out;
  }

  /** Records a finished run's rate (`perSecond` in the run's own units: pixels, or MOSAIKS patches). */
  recordRun(option: ModelOption, backend: string, perSecond: number | undefined, factor: number): void {
    if (perSecond === undefined) return;
    // A patch of factor x factor pixels stands for that many input pixels.
    const units = familyOf(option).unit === 'patches' ? perSecond * factor * factor : perSecond;
    this.speed.record({ model: option.id, backend }, units);
    this.measured++;
  }

  /**
   * The preference a run of `option` starts from: Automatic on a device where the model was
   * measured slower on WebGPU than on WASM is WASM, so the cache is looked up (and a change
   * date encoded) on the backend calibration will choose, not on WebGPU.
   */
  effectivePreference(option: ModelOption): BackendPreference {
    return this.speed.startingPreference(option.id, this.preference);
  }

  /** The measured rate the estimates use: of the backend a run would take, when known. */
  rateFor(option: ModelOption): RateRange | undefined {
    void this.measured;
    const wasm =
      !familyOf(option).choosesBackend ||
      this.preference === 'wasm' ||
      this.speed.webgpuSlowerThanWasm(option.id);
    const backend = wasm ? 'wasm' : this.preference === 'webgpu' ? 'webgpu' : undefined;
    return this.speed.rate(option.id, backend) ?? this.speed.rate(option.id);
  }

  /** Resolves once the built-in models have been looked for (a link may name one). */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  /** Why built-in models are not offered, while they are not. */
  get builtInNote(): string | undefined {
    const notes = Object.values(this.notes);
    return notes.length > 0 ? notes.join(' ') : undefined;
  }

  get selected(): ModelOption {
    return this.options.find((o) => o.id === this.selectedId) ?? this.options[0]!;
  }

  select(id: string): void {
    const option = this.options.find((o) => o.id === id);
    if (!option) return;
    // Each family starts at its own resolution (spectral every pixel, MOSAIKS 40 m patches,
    // learned models 80 m blocks); a choice made for one model is kept for a like one.
    const next = familyOf(option);
    if (next.defaultFactor !== familyOf(this.selected).defaultFactor) this.factor = next.defaultFactor;
    this.selectedId = id;
    if (!next.takesDates) this.timeSeries = false;
  }

  /**
   * Offers each family's own converted model (Presto, Galileo-nano: the registry's `builtIn`)
   * served under `modelsUrl` (…/models/), once `npm run models` has built it there.
   */
  loadBuiltIns(modelsUrl: string): Promise<void> {
    const builtIns = encoderFamilies().flatMap((f) => (f.builtIn ? [f.builtIn] : []));
    return Promise.all(
      builtIns.map((b) => this.loadBuiltIn(new URL(`${b.id}/manifest.json`, modelsUrl).href, b.label)),
    ).then(() => undefined);
  }

  /** Offers one of the app's own models (`label`) when `npm run models` has built it on this server. */
  loadBuiltIn(manifestUrl: string, label = 'Presto'): Promise<void> {
    // Called from an effect: reading `notes` there would make the effect depend on what it writes.
    untrack(() => {
      this.notes = { ...this.notes, [label]: `Checking for the ${label} model…` };
    });
    const loaded = modelFromUrl(manifestUrl, 'built-in').then(
      (option) => {
        this.add(option);
        this.notes = Object.fromEntries(Object.entries(this.notes).filter(([k]) => k !== label));
      },
      (error: unknown) => {
        this.notes = {
          ...this.notes,
          [label]: `${label} is not available: ${serializeError(error).message} (npm run models builds it).`,
        };
      },
    );
    this.loading = Promise.all([this.loading, loaded]).then(() => undefined);
    return loaded;
  }

  /** A user's model from picked files (manifest + .onnx), checked before it is offered. */
  async addFromFiles(files: readonly File[]): Promise<void> {
    await this.tryAdd(async () =>
      modelFromFiles(
        await Promise.all(
          files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
        ),
      ),
    );
  }

  /** A user's model from a manifest URL (its .onnx files lie next to it). */
  async addFromUrl(url: string): Promise<void> {
    await this.tryAdd(async () => {
      let parsed: URL;
      try {
        parsed = new URL(url, location.href);
      } catch {
        throw new Error(`"${url}" is not a URL.`);
      }
      return modelFromUrl(parsed.href, 'url');
    });
  }

  private async tryAdd(load: () => Promise<ModelOption>): Promise<void> {
    this.busy = true;
    try {
      const option = await load();
      this.add(option);
      this.select(option.id);
      this.userMessage = { ok: true, text: `Loaded ${option.name}: checked against its manifest.` };
    } catch (error) {
      this.userMessage = { ok: false, text: serializeError(error).message };
    } finally {
      this.busy = false;
    }
  }

  /** A model with the same id replaces the older one (a user reloading a fixed manifest). */
  private add(option: ModelOption): void {
    this.options = [...this.options.filter((o) => o.id !== option.id), option];
  }

  /** Selects the model a link names; `chosen` false when it is not here, a notice when it differs. */
  async chooseLinked(model: {
    id: string;
    sha256?: string;
    factor?: number;
  }): Promise<{ chosen: boolean; notice?: string }> {
    await this.whenLoaded();
    const option = this.options.find((o) => o.id === model.id);
    if (!option) {
      return {
        chosen: false,
        notice: `The link was made with the model "${model.id}", which this app does not have. Choose a model and compute the embeddings.`,
      };
    }
    this.select(option.id);
    this.factor = model.factor ?? 1;
    const hashes =
      option.origin === 'generated' ? [] : option.manifest.variants.map((v) => v.sha256.slice(0, 12));
    if (model.sha256 && !hashes.includes(model.sha256))
      return {
        chosen: true,
        notice: `The link was made with another version of ${option.name} (SHA-256 ${model.sha256}…): results may differ slightly.`,
      };
    return { chosen: true };
  }
}
