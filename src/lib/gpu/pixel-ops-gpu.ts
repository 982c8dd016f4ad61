/// <reference types="@webgpu/types" />
import { AppError, throwIfAborted } from '../errors.ts';
import { type GpuGrid, WORKGROUP } from './gpu-grid.ts';
import { BufferScope, dispatch, pipeline, readBack, words } from './gpu-run.ts';
import { CHANGE_WGSL, NAN_BITS, PROJECT3_WGSL, SIMILARITY_WGSL } from './wgsl-pixel.ts';

function checkQuery(grid: GpuGrid, query: Float32Array): number {
  if (query.length !== grid.dim) {
    throw new AppError(
      'bad-input',
      `Query has dimension ${query.length}; the grid has dimension ${grid.dim}.`,
    );
  }
  let qq = 0;
  for (let d = 0; d < query.length; d++) qq += query[d]! * query[d]!;
  const norm = Math.sqrt(qq);
  if (!(norm > 0) || !Number.isFinite(norm))
    throw new AppError('bad-input', 'Query vector is zero or not finite.');
  return norm;
}

/** Runs `code` once per chunk with per-chunk buffers from `bind`, reads `outBytes` of `out` back. */
async function perChunk(
  grid: GpuGrid,
  code: string,
  outBytes: number,
  bind: (scope: BufferScope, chunkIndex: number, out: GPUBuffer) => GPUBuffer[],
  signal: AbortSignal | undefined,
): Promise<ArrayBuffer> {
  throwIfAborted(signal, 'The GPU computation');
  const { device } = grid.context;
  const scope = new BufferScope(device);
  try {
    const pipe = pipeline(device, code);
    const out = scope.storage(outBytes);
    const encoder = device.createCommandEncoder();
    grid.chunks.forEach((chunk, index) => {
      dispatch(encoder, device, pipe, bind(scope, index, out), Math.ceil(chunk.count / WORKGROUP));
    });
    device.queue.submit([encoder.finish()]);
    return await readBack(device, out, outBytes, signal);
  } finally {
    scope.destroy();
  }
}

/** GPU twin of cosineSimilarity: the same scores within float32 rounding (~1e-6). */
export async function similarityGpu(
  grid: GpuGrid,
  query: Float32Array,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const qnorm = checkQuery(grid, query);
  const result = await perChunk(
    grid,
    SIMILARITY_WGSL,
    grid.pixels * 4,
    (scope, index, out) => {
      const chunk = grid.chunks[index]!;
      const params = words([
        { u: chunk.start },
        { u: chunk.count },
        { u: grid.dim },
        { f: qnorm },
        { u: NAN_BITS },
      ]);
      return [scope.uniform(params), chunk.data, chunk.valid, scope.input(query), out];
    },
    signal,
  );
  return new Float32Array(result);
}

/** GPU twin of changeMap: per-pixel cosine distance between two grids of the same area. */
export async function changeGpu(a: GpuGrid, b: GpuGrid, signal?: AbortSignal): Promise<Float32Array> {
  const sameChunks =
    a.chunks.length === b.chunks.length && a.chunks.every((c, i) => c.count === b.chunks[i]!.count);
  if (a.dim !== b.dim || a.pixels !== b.pixels || !sameChunks) {
    throw new AppError(
      'bad-input',
      'The two embedding grids differ in size or dimension; they must cover the same pixels.',
    );
  }
  const result = await perChunk(
    a,
    CHANGE_WGSL,
    a.pixels * 4,
    (scope, index, out) => {
      const ca = a.chunks[index]!;
      const cb = b.chunks[index]!;
      const params = words([{ u: ca.start }, { u: ca.count }, { u: a.dim }, { u: NAN_BITS }]);
      return [scope.uniform(params), ca.data, ca.valid, cb.data, cb.valid, out];
    },
    signal,
  );
  return new Float32Array(result);
}

/**
 * GPU twin of projectPixels: (x - mean) . component_j for the three components, interleaved
 * per pixel. `mean` has dim values, `components` 3 * dim.
 */
export async function projectGpu(
  grid: GpuGrid,
  mean: Float32Array,
  components: Float32Array,
  signal?: AbortSignal,
): Promise<Float32Array> {
  if (mean.length !== grid.dim || components.length !== 3 * grid.dim) {
    throw new AppError('bad-input', 'PCA basis does not match the grid dimension.');
  }
  const basis = new Float32Array(4 * grid.dim);
  basis.set(mean);
  basis.set(components, grid.dim);
  const result = await perChunk(
    grid,
    PROJECT3_WGSL,
    grid.pixels * 12,
    (scope, index, out) => {
      const chunk = grid.chunks[index]!;
      const params = words([{ u: chunk.start }, { u: chunk.count }, { u: grid.dim }, { u: NAN_BITS }]);
      return [scope.uniform(params), chunk.data, chunk.valid, scope.input(basis), out];
    },
    signal,
  );
  return new Float32Array(result);
}
