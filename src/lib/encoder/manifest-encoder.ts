import type {
  BatchContext,
  EncodedBatch,
  ExecutionProvider,
  ManifestSession,
  ModelRunner,
} from './manifest-runner.ts';
import type { PrestoOrt } from './presto-session.ts';

export type { BatchContext, EncodedBatch, ExecutionProvider };

type Session = ManifestSession;

/** onnxruntime-node calls its CPU provider "cpu"; in the browser the CPU path is "wasm". */
export type ProviderNames = Record<ExecutionProvider, string>;
const WEB_PROVIDERS: ProviderNames = { wasm: 'wasm', webgpu: 'webgpu' };

/** One session of the model's bytes, opened the way its family feeds it (the runner). */
function openSession(
  ort: PrestoOrt,
  bytes: Uint8Array,
  runner: ModelRunner,
  provider: string,
  ctx: BatchContext,
): Promise<Session> {
  return runner.open(ort, bytes, provider, ctx);
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

export type { ManifestSession };
export { openSession as openManifestSession };
