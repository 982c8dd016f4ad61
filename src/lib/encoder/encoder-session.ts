import type * as Ort from 'onnxruntime-common';
import { AppError } from '../errors.ts';

/** The parts of an onnxruntime module (web or node) the encoder uses; injected, never imported here. */
export interface OrtModule {
  InferenceSession: {
    create(model: Uint8Array, options?: Ort.InferenceSession.SessionOptions): Promise<Ort.InferenceSession>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Ort.Tensor;
}

/**
 * One ONNX session of a per-pixel encoder: input [N, B] float32 -> output [N, D] float32.
 * The same code runs onnxruntime-web in the encoder worker and onnxruntime-node in the CLI
 * and benchmarks, so both produce the same embeddings. Whoever creates it calls release().
 */
export class PixelEncoderSession {
  private constructor(
    private readonly ort: OrtModule,
    private session: Ort.InferenceSession | undefined,
    readonly inputName: string,
    readonly outputName: string,
    readonly bands: number,
    readonly dim: number,
  ) {}

  static async create(
    ort: OrtModule,
    model: Uint8Array,
    io: { inputName: string; outputName: string; bands: number; dim: number },
    options: Ort.InferenceSession.SessionOptions,
  ): Promise<PixelEncoderSession> {
    try {
      const session = await ort.InferenceSession.create(model, options);
      return new PixelEncoderSession(ort, session, io.inputName, io.outputName, io.bands, io.dim);
    } catch (error) {
      throw new AppError(
        'model',
        `The encoder model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Encodes `count` pixels given as count*bands interleaved values. */
  async encode(pixels: Float32Array, count: number): Promise<Float32Array> {
    if (!this.session) throw new AppError('internal', 'The encoder session was released.');
    if (pixels.length !== count * this.bands) {
      throw new AppError(
        'bad-input',
        `Expected ${count * this.bands} input values (${count} pixels x ${this.bands} bands), got ${pixels.length}.`,
      );
    }
    const input = new this.ort.Tensor('float32', pixels, [count, this.bands]);
    const outputs = await this.session.run({ [this.inputName]: input });
    const output = outputs[this.outputName];
    if (!output || !(output.data instanceof Float32Array) || output.data.length !== count * this.dim) {
      throw new AppError(
        'model',
        `The encoder returned no ${this.outputName} of ${count} x ${this.dim} float32 values.`,
      );
    }
    const data = output.data;
    input.dispose();
    output.dispose();
    return data;
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release();
  }
}
