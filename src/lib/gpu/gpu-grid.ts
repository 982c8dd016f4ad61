/// <reference types="@webgpu/types" />
import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import type { GpuContext } from './gpu-context.ts';

/** Pixels per workgroup row in every analysis shader; chunks hold a multiple of it. */
export const WORKGROUP = 64;

/** One storage binding's worth of pixels: rows [start, start + count) of the grid. */
export interface GridChunk {
  start: number;
  count: number;
  /** count * dim float32 embeddings. */
  data: GPUBuffer;
  /** count u32 flags (1 valid, 0 not). */
  valid: GPUBuffer;
}

/**
 * An embedding grid resident on the GPU, split into chunks so that no binding exceeds the
 * device's maxStorageBufferBindingSize (1M x 128 float32 is 512 MiB; the default limit is
 * 128 MiB). Uploaded once; every query binds the chunks, none copies them. dispose() frees it.
 */
export class GpuGrid {
  readonly chunks: GridChunk[] = [];
  readonly pixels: number;
  private disposed = false;

  constructor(
    readonly context: GpuContext,
    readonly grid: EmbeddingGrid,
    /** Lower binding cap, for tests of the chunking; the device limit applies regardless. */
    maxBindingBytes = context.maxBindingBytes,
  ) {
    const { device } = context;
    const { dim, data, valid } = grid;
    this.pixels = grid.width * grid.height;
    const cap = Math.min(maxBindingBytes, context.maxBindingBytes);
    const perChunk = Math.floor(cap / (dim * 4) / WORKGROUP) * WORKGROUP;
    if (perChunk < WORKGROUP) {
      throw new AppError(
        'unsupported',
        `A GPU binding of ${cap} bytes cannot hold ${WORKGROUP} pixels of dimension ${dim}.`,
      );
    }
    try {
      for (let start = 0; start < this.pixels; start += perChunk) {
        const count = Math.min(perChunk, this.pixels - start);
        const dataBuffer = device.createBuffer({
          size: count * dim * 4,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        });
        const validBuffer = device.createBuffer({
          size: count * 4,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        });
        this.chunks.push({ start, count, data: dataBuffer, valid: validBuffer });
        // WebGPU takes views of ArrayBuffer and SharedArrayBuffer alike; the type only lacks the union.
        device.queue.writeBuffer(dataBuffer, 0, data as Float32Array<ArrayBuffer>, start * dim, count * dim);
        const flags = new Uint32Array(count);
        for (let i = 0; i < count; i++) flags[i] = valid[start + i]! === 0 ? 0 : 1;
        device.queue.writeBuffer(validBuffer, 0, flags);
      }
    } catch (error) {
      this.dispose();
      throw new AppError('too-large', 'The embeddings do not fit in GPU memory.', { cause: error });
    }
  }

  get dim(): number {
    return this.grid.dim;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const chunk of this.chunks) {
      chunk.data.destroy();
      chunk.valid.destroy();
    }
  }
}
