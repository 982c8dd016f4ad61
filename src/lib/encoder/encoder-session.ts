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
 * Checks, before any pixel is encoded, that the model has the output the manifest names and,
 * when the model states it, that its last dimension is the manifest's `dim`: a wrong dim is
 * said at once in the manifest's terms, not after a whole scene as a size mismatch.
 */
function checkOutput(session: Ort.InferenceSession, outputName: string, dim: number): void {
  const names: readonly string[] = session.outputNames;
  if (!names.includes(outputName)) {
    throw new AppError(
      'model',
      `The model has no output named '${outputName}' (its outputs: ${names.map((n) => `'${n}'`).join(', ') || 'none'}); correct the manifest's output name.`,
    );
  }
  // outputMetadata is missing in older runtimes; then the size is checked on the first batch.
  const metadata: readonly Ort.InferenceSession.ValueMetadata[] | undefined = session.outputMetadata;
  const meta = metadata?.find((m) => m.name === outputName);
  const last = meta?.isTensor ? meta.shape[meta.shape.length - 1] : undefined;
  if (typeof last === 'number' && last > 0 && last !== dim) {
    throw new AppError(
      'model',
      `The model gives ${last} features per pixel in '${outputName}', but its manifest says dim ${dim}; correct the manifest's output dim.`,
    );
  }
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
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, options);
    } catch (error) {
      throw new AppError(
        'model',
        `The encoder model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    try {
      checkOutput(session, io.outputName, io.dim);
    } catch (error) {
      await session.release();
      throw error;
    }
    return new PixelEncoderSession(ort, session, io.inputName, io.outputName, io.bands, io.dim);
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
    if (!output || !(output.data instanceof Float32Array)) {
      throw new AppError('model', `The encoder returned no float32 output named '${this.outputName}'.`);
    }
    if (output.data.length !== count * this.dim) {
      const perPixel = Number((output.data.length / count).toFixed(2));
      throw new AppError(
        'model',
        `The model gives ${perPixel} features per pixel in '${this.outputName}', but its manifest says dim ${this.dim}; correct the manifest's output dim.`,
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
