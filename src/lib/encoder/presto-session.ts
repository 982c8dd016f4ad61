import type * as Ort from 'onnxruntime-common';
import { AppError } from '../errors.ts';
import { type EncoderOrt, OrtEmbeddingSession } from './ort-embedding-session.ts';
import type { PrestoInputs } from './presto-inputs.ts';
import { PRESTO_CHANNEL_COUNT, PRESTO_DIM } from './presto-spec.ts';

/** The parts of onnxruntime (web or node) Presto needs; injected, never imported here. */
export type PrestoOrt = EncoderOrt;

/**
 * One ONNX session of the Presto encoder (any variant): PrestoInputs -> [N, 128] embeddings.
 * Runs onnxruntime-web in the encoder worker and onnxruntime-node in tests and benchmarks.
 * Whoever creates it calls release().
 */
export class PrestoSession {
  private constructor(private readonly session: OrtEmbeddingSession) {}

  static readonly dim = PRESTO_DIM;

  static async create(
    ort: PrestoOrt,
    model: Uint8Array,
    options: Ort.InferenceSession.SessionOptions = {},
  ): Promise<PrestoSession> {
    return new PrestoSession(await OrtEmbeddingSession.create(ort, 'Presto', PRESTO_DIM, model, options));
  }

  /** Embeddings of every pixel of `inputs`, count x 128 float32 values. */
  async encode(inputs: PrestoInputs): Promise<Float32Array> {
    if (this.session.released) throw new AppError('internal', 'The Presto session was released.');
    const { count: N, timesteps: T } = inputs;
    if (inputs.x.length !== N * T * PRESTO_CHANNEL_COUNT || inputs.mask.length !== inputs.x.length) {
      throw new AppError(
        'bad-input',
        `Presto inputs for ${N} pixels x ${T} steps have the wrong number of values.`,
      );
    }
    const { Tensor } = this.session.ort;
    return this.session.run(
      {
        x: new Tensor('float32', inputs.x, [N, T, PRESTO_CHANNEL_COUNT]),
        mask: new Tensor('float32', inputs.mask, [N, T, PRESTO_CHANNEL_COUNT]),
        dynamic_world: new Tensor('int64', inputs.dynamicWorld, [N, T]),
        latlons: new Tensor('float32', inputs.latlons, [N, 2]),
        month: new Tensor('int64', inputs.month, [N, T]),
      },
      N,
    );
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
