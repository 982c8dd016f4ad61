import { createEmbeddingGrid, type EmbeddingGrid } from '../embeddings/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import type { Scene } from '../scene/index.ts';

/**
 * Anything that turns count*bands interleaved values into count*dim embeddings; `indices`
 * are the pixels' grid indices (row * width + col), for encoders that need each location.
 */
export interface PixelEncoder {
  encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<Float32Array>;
}

export interface EncodeProgress {
  pixelsDone: number;
  pixelsTotal: number;
  elapsedMs: number;
}

export interface EncodeOptions {
  dim: number;
  /** Bands in the encoder's input order; each must be one of the scene's bands. */
  bands: readonly string[];
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: EncodeProgress) => void;
  /** Allocate the grid in a SharedArrayBuffer so workers read it without copies. */
  shared?: boolean;
  /**
   * Time steps on the scene's grid (yearly mode): each pixel is sent as the bands of step 0,
   * then of step 1, ...; a value is NaN where its step is not valid. The scene passed in
   * decides which pixels are encoded (valid in any step). Default: the scene alone.
   */
  steps?: readonly Scene[];
  /**
   * Per-pixel columns fed after the bands (width * height each): the spectral encoder's local
   * texture (spectral-texture.ts), which a per-pixel graph cannot compute itself.
   */
  extraColumns?: readonly Float32Array[];
  /** Called after each batch with the grid being filled, so the map can show partial results. */
  onBatch?: (grid: EmbeddingGrid, indices: Uint32Array) => void;
}

/**
 * Streams a scene's valid pixels through an encoder in batches and writes the embeddings into
 * one grid (invalid pixels stay zero and flagged invalid). Cancellation takes effect between
 * batches; progress reports valid pixels encoded so far.
 */
export async function encodeScene(
  scene: Scene,
  encoder: PixelEncoder,
  options: EncodeOptions,
): Promise<EmbeddingGrid> {
  const { width, height } = scene.grid;
  const { dim, signal } = options;
  const batchSize = options.batchSize ?? 32_768;
  const steps = options.steps ?? [scene];
  const columns = steps.flatMap((step, t) => {
    if (step.grid.width !== width || step.grid.height !== height)
      throw new AppError('bad-input', `Time step ${t} lies on a different grid from the scene.`);
    return options.bands.map((band) => {
      const index = step.bands.indexOf(band as Scene['bands'][number]);
      if (index < 0)
        throw new AppError(
          'bad-input',
          `The scene${steps.length > 1 ? ` of step ${t}` : ''} has no band ${band}, which the encoder needs.`,
        );
      return { values: step.reflectance[index]!, valid: step === scene ? undefined : step.valid };
    });
  });
  for (const values of options.extraColumns ?? []) {
    if (values.length !== width * height)
      throw new AppError('bad-input', 'An extra encoder input column does not cover the scene grid.');
    columns.push({ values, valid: undefined });
  }
  const nb = columns.length;
  const pixels = width * height;
  const bytes = pixels * dim * 4;
  const share = options.shared === true && typeof SharedArrayBuffer === 'function';
  const buffer = share ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  // The mask shares memory with the values, so handing the grid on copies neither.
  const valid = share ? new Uint8Array(new SharedArrayBuffer(pixels)) : new Uint8Array(pixels);
  valid.set(scene.valid);
  const grid = createEmbeddingGrid(width, height, dim, new Float32Array(buffer), valid);
  const total = grid.valid.reduce((sum, v) => sum + v, 0);
  const started = performance.now();
  let done = 0;
  let p = 0;
  /** The next batch of valid pixels from `p` on: their grid indices and interleaved values. */
  const nextBatch = (): { indices: Uint32Array; input: Float32Array } | undefined => {
    const scratch = new Uint32Array(batchSize);
    let count = 0;
    for (; p < pixels && count < batchSize; p++) if (grid.valid[p]) scratch[count++] = p;
    if (count === 0) return undefined;
    const indices = scratch.slice(0, count);
    const input = new Float32Array(count * nb);
    for (let i = 0; i < count; i++) {
      const pixel = indices[i]!;
      for (let b = 0; b < nb; b++) {
        const column = columns[b]!;
        input[i * nb + b] = column.valid && !column.valid[pixel] ? Number.NaN : column.values[pixel]!;
      }
    }
    return { indices, input };
  };
  options.onProgress?.({ pixelsDone: 0, pixelsTotal: total, elapsedMs: 0 });
  let batch = nextBatch();
  while (batch) {
    throwIfAborted(signal, 'Computing embeddings');
    const { indices, input } = batch;
    const count = indices.length;
    // The encoder gets (and may take over) its own copy of the indices; ours place the output.
    const pending = encoder.encode(input, count, indices.slice());
    // The next batch is gathered while the worker encodes this one: one call in flight, as the
    // worker's session runs one batch at a time, but no idle worker while this thread gathers.
    batch = nextBatch();
    const output = await pending;
    if (output.length !== count * dim)
      throw new AppError(
        'model',
        `The encoder returned ${output.length} values for ${count} pixels of dimension ${dim}.`,
      );
    const data = grid.data;
    for (let i = 0; i < count; i++) {
      const to = indices[i]! * dim;
      const from = i * dim;
      for (let d = 0; d < dim; d++) data[to + d] = output[from + d]!;
    }
    done += count;
    options.onBatch?.(grid, indices);
    options.onProgress?.({ pixelsDone: done, pixelsTotal: total, elapsedMs: performance.now() - started });
  }
  throwIfAborted(signal, 'Computing embeddings');
  return grid;
}
