import type * as Ort from 'onnxruntime-common';
import { AppError } from '../errors.ts';
import type { PrestoInputs } from './presto-inputs.ts';
import { PRESTO_CHANNEL_COUNT, PRESTO_DIM } from './presto-spec.ts';

/** The parts of onnxruntime (web or node) Presto needs; injected, never imported here. */
export interface PrestoOrt {
  InferenceSession: {
    create(model: Uint8Array, options?: Ort.InferenceSession.SessionOptions): Promise<Ort.InferenceSession>;
  };
  Tensor: {
    new (type: 'float32', data: Float32Array, dims: readonly number[]): Ort.Tensor;
    new (type: 'int64', data: BigInt64Array, dims: readonly number[]): Ort.Tensor;
  };
}

/**
 * One ONNX session of the Presto encoder (any variant): PrestoInputs -> [N, 128] embeddings.
 * Runs onnxruntime-web in the encoder worker and onnxruntime-node in tests and benchmarks.
 * Whoever creates it calls release().
 */
export class PrestoSession {
  private constructor(
    private readonly ort: PrestoOrt,
    private session: Ort.InferenceSession | undefined,
  ) {}

  static readonly dim = PRESTO_DIM;

  static async create(
    ort: PrestoOrt,
    model: Uint8Array,
    options: Ort.InferenceSession.SessionOptions = {},
  ): Promise<PrestoSession> {
    try {
      return new PrestoSession(ort, await ort.InferenceSession.create(model, options));
    } catch (error) {
      throw new AppError(
        'model',
        `The Presto model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Embeddings of every pixel of `inputs`, count x 128 float32 values. */
  async encode(inputs: PrestoInputs): Promise<Float32Array> {
    if (!this.session) throw new AppError('internal', 'The Presto session was released.');
    const { count: N, timesteps: T } = inputs;
    if (inputs.x.length !== N * T * PRESTO_CHANNEL_COUNT || inputs.mask.length !== inputs.x.length) {
      throw new AppError(
        'bad-input',
        `Presto inputs for ${N} pixels x ${T} steps have the wrong number of values.`,
      );
    }
    const feeds = {
      x: new this.ort.Tensor('float32', inputs.x, [N, T, PRESTO_CHANNEL_COUNT]),
      mask: new this.ort.Tensor('float32', inputs.mask, [N, T, PRESTO_CHANNEL_COUNT]),
      dynamic_world: new this.ort.Tensor('int64', inputs.dynamicWorld, [N, T]),
      latlons: new this.ort.Tensor('float32', inputs.latlons, [N, 2]),
      month: new this.ort.Tensor('int64', inputs.month, [N, T]),
    };
    try {
      const output = (await this.session.run(feeds)).embedding;
      if (!output || !(output.data instanceof Float32Array) || output.data.length !== N * PRESTO_DIM) {
        throw new AppError(
          'model',
          `The Presto model returned no embedding of ${N} x ${PRESTO_DIM} float32 values.`,
        );
      }
      const data = output.data;
      output.dispose();
      return data;
    } finally {
      for (const tensor of Object.values(feeds)) tensor.dispose();
    }
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release();
  }
}
