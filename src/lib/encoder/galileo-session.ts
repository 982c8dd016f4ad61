import type * as Ort from 'onnxruntime-common';
import { AppError } from '../errors.ts';
import type { GalileoInputs } from './galileo-inputs.ts';
import { GALILEO_CHANNEL_COUNT, GALILEO_DIM } from './galileo-spec.ts';
import { type EncoderOrt, OrtEmbeddingSession } from './ort-embedding-session.ts';

/**
 * One ONNX session of Galileo-nano in pixel mode (any variant): GalileoInputs -> [N, 128]
 * embeddings. onnxruntime-web in the encoder worker, onnxruntime-node in the CLI, tests and
 * benchmarks; injected, never imported here. Whoever creates it calls release().
 */
export class GalileoSession {
  private constructor(private readonly session: OrtEmbeddingSession) {}

  static readonly dim = GALILEO_DIM;

  static async create(
    ort: EncoderOrt,
    model: Uint8Array,
    options: Ort.InferenceSession.SessionOptions = {},
  ): Promise<GalileoSession> {
    return new GalileoSession(
      await OrtEmbeddingSession.create(ort, 'Galileo-nano', GALILEO_DIM, model, options),
    );
  }

  /** Embeddings of every pixel of `inputs`, count x 128 float32 values. */
  async encode(inputs: GalileoInputs): Promise<Float32Array> {
    if (this.session.released) throw new AppError('internal', 'The Galileo-nano session was released.');
    const { count: N, timesteps: T } = inputs;
    if (inputs.x.length !== N * T * GALILEO_CHANNEL_COUNT || inputs.mask.length !== inputs.x.length) {
      throw new AppError(
        'bad-input',
        `Galileo inputs for ${N} pixels x ${T} dates have the wrong number of values.`,
      );
    }
    const { Tensor } = this.session.ort;
    return this.session.run(
      {
        x: new Tensor('float32', inputs.x, [N, T, GALILEO_CHANNEL_COUNT]),
        mask: new Tensor('float32', inputs.mask, [N, T, GALILEO_CHANNEL_COUNT]),
        month: new Tensor('int64', inputs.month, [N, T]),
      },
      N,
    );
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
