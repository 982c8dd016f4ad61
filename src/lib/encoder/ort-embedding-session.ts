import type * as Ort from 'onnxruntime-common';
import { AppError } from '../errors.ts';

/** The parts of onnxruntime (web or node) an encoder session needs; injected, never imported here. */
export interface EncoderOrt {
  InferenceSession: {
    create(model: Uint8Array, options?: Ort.InferenceSession.SessionOptions): Promise<Ort.InferenceSession>;
  };
  Tensor: {
    new (type: 'float32', data: Float32Array, dims: readonly number[]): Ort.Tensor;
    new (type: 'int64', data: BigInt64Array, dims: readonly number[]): Ort.Tensor;
  };
}

/**
 * One ONNX session of a per-pixel encoder whose graph has a float32 output named `embedding`
 * of [N, dim] values (Presto, Galileo-nano). The model families differ only in how they
 * build their input tensors; loading, the output check and disposing every tensor live here
 * once. Whoever creates it calls release().
 */
export class OrtEmbeddingSession {
  private constructor(
    readonly ort: EncoderOrt,
    private readonly modelName: string,
    private readonly dim: number,
    private session: Ort.InferenceSession | undefined,
  ) {}

  static async create(
    ort: EncoderOrt,
    modelName: string,
    dim: number,
    model: Uint8Array,
    options: Ort.InferenceSession.SessionOptions = {},
  ): Promise<OrtEmbeddingSession> {
    try {
      const session = await ort.InferenceSession.create(model, options);
      return new OrtEmbeddingSession(ort, modelName, dim, session);
    } catch (error) {
      throw new AppError(
        'model',
        `The ${modelName} model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * Runs the graph on `feeds` (tensors made with `this.ort`) for `count` pixels and returns
   * count x dim embeddings. The feeds are disposed whatever happens.
   */
  async run(feeds: Record<string, Ort.Tensor>, count: number): Promise<Float32Array> {
    try {
      if (!this.session) throw new AppError('internal', `The ${this.modelName} session was released.`);
      const output = (await this.runGraph(feeds)).embedding;
      if (!output || !(output.data instanceof Float32Array) || output.data.length !== count * this.dim) {
        throw new AppError(
          'model',
          `The ${this.modelName} model returned no embedding of ${count} x ${this.dim} float32 values.`,
        );
      }
      const data = output.data;
      output.dispose();
      return data;
    } finally {
      for (const tensor of Object.values(feeds)) tensor.dispose();
    }
  }

  /** The session's run, its runtime's failures (wrong feeds, out of memory) said in our words. */
  private async runGraph(feeds: Record<string, Ort.Tensor>): Promise<Ort.InferenceSession.ReturnType> {
    if (!this.session) throw new AppError('internal', `The ${this.modelName} session was released.`);
    try {
      return await this.session.run(feeds);
    } catch (error) {
      const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new AppError('model', `The ${this.modelName} model failed to run on this input: ${detail}`);
    }
  }

  get released(): boolean {
    return this.session === undefined;
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release();
  }
}
