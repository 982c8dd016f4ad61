import type { GridSpec } from '../geo/geotransform.ts';
import { PixelEncoderSession } from './encoder-session.ts';
import { galileoInputsFromPresto } from './galileo-inputs.ts';
import { GalileoSession } from './galileo-session.ts';
import { fillChannels } from './model-channels.ts';
import type { ModelRunner } from './model-runner.ts';
import { prestoBatchInputs } from './presto-batch.ts';
import { type PrestoOrt, PrestoSession } from './presto-session.ts';

/** Where a batch's pixels lie and when they were seen: what location-aware models need. */
export interface BatchContext {
  /** Band order of the interleaved pixels (per time step). */
  bands: readonly string[];
  /** The grid the pixel indices refer to. */
  grid: GridSpec;
  /** Calendar month (0 = January) of each time step; one entry for a single scene. */
  months: readonly number[];
}

export type ExecutionProvider = 'wasm' | 'webgpu';

export interface EncodedBatch {
  embeddings: Float32Array;
  /** Set when the backend changed mid-run (WebGPU device lost or an EP error -> WASM). */
  backendChange?: { backend: ExecutionProvider; reason: string };
}

type Session = {
  encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<Float32Array>;
  release(): Promise<void>;
};

/** onnxruntime-node calls its CPU provider "cpu"; in the browser the CPU path is "wasm". */
export type ProviderNames = Record<ExecutionProvider, string>;
const WEB_PROVIDERS: ProviderNames = { wasm: 'wasm', webgpu: 'webgpu' };

async function openSession(
  ort: PrestoOrt,
  bytes: Uint8Array,
  runner: ModelRunner,
  provider: string,
  ctx: BatchContext,
): Promise<Session> {
  // Severity 3 (errors): on WebGPU, ORT's warning that shape ops stay on the CPU is no error.
  const options = {
    executionProviders: [provider],
    graphOptimizationLevel: 'all' as const,
    logSeverityLevel: 3 as const,
  };
  if (runner.kind === 'presto') {
    const session = await PrestoSession.create(ort, bytes, options);
    return {
      encode: (pixels, count, indices) =>
        session.encode(prestoBatchInputs(pixels, count, indices, ctx.bands, ctx.grid, ctx.months)),
      release: () => session.release(),
    };
  }
  if (runner.kind === 'galileo') {
    const session = await GalileoSession.create(ort, bytes, options);
    return {
      encode: (pixels, count, indices) =>
        session.encode(
          galileoInputsFromPresto(prestoBatchInputs(pixels, count, indices, ctx.bands, ctx.grid, ctx.months)),
        ),
      release: () => session.release(),
    };
  }
  const session = await PixelEncoderSession.create(
    ort,
    bytes,
    {
      inputName: runner.inputName,
      outputName: runner.outputName,
      bands: runner.channels.length,
      dim: runner.dim,
    },
    options,
  );
  return {
    encode: (pixels, count) =>
      session.encode(fillChannels(pixels, count, ctx.bands, runner.channels, runner.reflectanceScale), count),
    release: () => session.release(),
  };
}

/**
 * A model described by a manifest, in one ORT session (web in the worker, node in tests).
 * When the session runs on WebGPU and a batch fails (device lost, an EP error), it reopens the
 * same bytes on WASM, redoes that batch and reports the change: nothing encoded is lost.
 * Whoever opens it calls release().
 */
export class ManifestEncoder {
  private constructor(
    private readonly ort: PrestoOrt,
    private readonly bytes: Uint8Array,
    private readonly runner: ModelRunner,
    private readonly ctx: BatchContext,
    private session: Session | undefined,
    private ep: ExecutionProvider,
    private readonly providers: ProviderNames,
  ) {}

  static async open(
    ort: PrestoOrt,
    bytes: Uint8Array,
    runner: ModelRunner,
    ctx: BatchContext,
    options: {
      ep: ExecutionProvider;
      providers?: ProviderNames;
      /** Tests inject how the first session is opened, to make it fail the way a GPU does. */
      opener?: typeof openSession;
    },
  ): Promise<ManifestEncoder> {
    const providers = options.providers ?? WEB_PROVIDERS;
    const session = await (options.opener ?? openSession)(ort, bytes, runner, providers[options.ep], ctx);
    return new ManifestEncoder(ort, bytes, runner, ctx, session, options.ep, providers);
  }

  get executionProvider(): ExecutionProvider {
    return this.ep;
  }

  async encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<EncodedBatch> {
    const session = this.session;
    if (!session) throw new Error('The encoder session was released.');
    // The inputs are built from views of the pixels, so a retry can reuse them.
    try {
      return { embeddings: await session.encode(pixels, count, indices) };
    } catch (error) {
      if (this.ep !== 'webgpu') throw error;
      await session.release().catch(() => undefined);
      this.session = undefined;
      this.session = await openSession(this.ort, this.bytes, this.runner, this.providers.wasm, this.ctx);
      this.ep = 'wasm';
      const embeddings = await this.session.encode(pixels, count, indices);
      const why = error instanceof Error ? error.message : String(error);
      return {
        embeddings,
        backendChange: {
          backend: 'wasm',
          reason: `WebGPU failed (${why}); finishing on WASM. Nothing was lost.`,
        },
      };
    }
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release();
  }
}

export type { Session as ManifestSession };
export { openSession as openManifestSession };
