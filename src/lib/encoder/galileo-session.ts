import type * as Ort from 'onnxruntime-common';
import { AppError } from '../errors.ts';
import type { GalileoInputs } from './galileo-inputs.ts';
import { GALILEO_CHANNEL_COUNT, GALILEO_DIM } from './galileo-spec.ts';
import type { PrestoOrt } from './presto-session.ts';

/**
 * One ONNX session of Galileo-nano in pixel mode (any variant): GalileoInputs -> [N, 128]
 * embeddings. onnxruntime-web in the encoder worker, onnxruntime-node in the CLI, tests and
 * benchmarks; injected, never imported here. Whoever creates it calls release().
 */
export class GalileoSession {
  private constructor(
    private readonly ort: PrestoOrt,
    private session: Ort.InferenceSession | undefined,
  ) {}

  static readonly dim = GALILEO_DIM;

  static async create(
    ort: PrestoOrt,
    model: Uint8Array,
    options: Ort.InferenceSession.SessionOptions = {},
  ): Promise<GalileoSession> {
    try {
      return new GalileoSession(ort, await ort.InferenceSession.create(model, options));
    } catch (error) {
      throw new AppError(
        'model',
        `The Galileo-nano model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Embeddings of every pixel of `inputs`, count x 128 float32 values. */
  async encode(inputs: GalileoInputs): Promise<Float32Array> {
    if (!this.session) throw new AppError('internal', 'The Galileo-nano session was released.');
    const { count: N, timesteps: T } = inputs;
    if (inputs.x.length !== N * T * GALILEO_CHANNEL_COUNT || inputs.mask.length !== inputs.x.length) {
      throw new AppError(
        'bad-input',
        `Galileo inputs for ${N} pixels x ${T} dates have the wrong number of values.`,
      );
    }
    const feeds = {
      x: new this.ort.Tensor('float32', inputs.x, [N, T, GALILEO_CHANNEL_COUNT]),
      mask: new this.ort.Tensor('float32', inputs.mask, [N, T, GALILEO_CHANNEL_COUNT]),
      month: new this.ort.Tensor('int64', inputs.month, [N, T]),
    };
    try {
      const output = (await this.session.run(feeds)).embedding;
      if (!output || !(output.data instanceof Float32Array) || output.data.length !== N * GALILEO_DIM) {
        throw new AppError(
          'model',
          `The Galileo-nano model returned no embedding of ${N} x ${GALILEO_DIM} values.`,
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
