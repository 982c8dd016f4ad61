import type * as Ort from 'onnxruntime-common';
import { AppError } from '../errors.ts';
import type { OrtModule } from './encoder-session.ts';
import type { MosaiksFilters } from './mosaiks-filters.ts';
import { buildMosaiksGraph } from './mosaiks-graph.ts';
import type { PatchGeometry } from './mosaiks-params.ts';
import { checkTile, patchesAlong } from './mosaiks-tile-shape.ts';
import type { PatchEncoder, PatchTile } from './mosaiks-tiles.ts';

/**
 * One ONNX session of the MOSAIKS graph with this scene's filters bound: tiles of z-scored
 * pixels in, patch embeddings out. ORT is injected (onnxruntime-web in the encoder worker,
 * onnxruntime-node in the CLI, tests and benchmarks). Whoever creates it calls release().
 */
export class MosaiksSession implements PatchEncoder {
  private constructor(
    private session: Ort.InferenceSession | undefined,
    private readonly ort: OrtModule,
    private readonly names: { image: string; filters: string; bias: string; output: string },
    private readonly weights: Ort.Tensor,
    private readonly bias: Ort.Tensor,
    readonly filters: MosaiksFilters,
    readonly geometry: PatchGeometry,
  ) {}

  /** Embedding dimension: 2K. */
  get dim(): number {
    return 2 * this.filters.count;
  }

  static async create(
    ort: OrtModule,
    filters: MosaiksFilters,
    geometry: Pick<PatchGeometry, 'pool' | 'stride'>,
    options: Ort.InferenceSession.SessionOptions = {},
  ): Promise<MosaiksSession> {
    const graph = buildMosaiksGraph(geometry);
    const { count: K, kernel: k, bands } = filters;
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(graph.bytes, options);
    } catch (error) {
      throw new AppError(
        'model',
        `The MOSAIKS graph could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return new MosaiksSession(
      session,
      ort,
      { image: graph.imageName, filters: graph.filtersName, bias: graph.biasName, output: graph.outputName },
      new ort.Tensor('float32', filters.weights, [K, bands.length, k, k]),
      new ort.Tensor('float32', filters.bias, [K]),
      filters,
      { kernel: k, pool: geometry.pool, stride: geometry.stride },
    );
  }

  /** Encodes one band-major tile (halo included) into dim x rows x cols embeddings. */
  async encodeTile(image: Float32Array, bands: number, height: number, width: number): Promise<PatchTile> {
    if (!this.session) throw new AppError('internal', 'The MOSAIKS session was released.');
    checkTile(image, bands, height, width, this.filters, this.geometry);
    const rows = patchesAlong(height, this.geometry);
    const cols = patchesAlong(width, this.geometry);
    const tensor = new this.ort.Tensor('float32', image, [1, bands, height, width]);
    try {
      const outputs = await this.session.run({
        [this.names.image]: tensor,
        [this.names.filters]: this.weights,
        [this.names.bias]: this.bias,
      });
      const output = outputs[this.names.output];
      if (
        !output ||
        !(output.data instanceof Float32Array) ||
        output.data.length !== this.dim * rows * cols
      ) {
        throw new AppError(
          'model',
          `The MOSAIKS graph returned no ${this.names.output} of ${this.dim} x ${rows} x ${cols} float32 values.`,
        );
      }
      const data = output.data;
      output.dispose();
      return { data, rows, cols };
    } finally {
      tensor.dispose();
    }
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.weights.dispose();
    this.bias.dispose();
    await session?.release();
  }
}
