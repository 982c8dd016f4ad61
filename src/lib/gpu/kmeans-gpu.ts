/// <reference types="@webgpu/types" />
import {
  initialCentroids,
  type KMeansOptions,
  type KMeansResult,
  kmeansSettings,
  LloydLoop,
  NO_LABEL,
  reseedEmpty,
  validMembers,
} from '../analysis/kmeans-steps.ts';
import { throwIfAborted } from '../errors.ts';
import type { GpuGrid } from './gpu-grid.ts';
import { BufferScope, dispatch, pipeline, readBack, words } from './gpu-run.ts';
import { KMEANS_PASS_WGSL, KMEANS_REDUCE_WGSL, KMEANS_TILE } from './wgsl-kmeans.ts';

/** The GPU buffers of one k-means run and the passes that use them. */
class GpuLloyd {
  readonly scope: BufferScope;
  readonly labels: GPUBuffer;
  readonly dist: GPUBuffer;
  readonly centroids: GPUBuffer;
  readonly records: GPUBuffer;
  readonly totals: GPUBuffer;
  readonly stride: number;
  readonly groups: number[];
  readonly totalGroups: number;

  constructor(
    readonly grid: GpuGrid,
    readonly k: number,
  ) {
    const { device } = grid.context;
    this.scope = new BufferScope(device);
    this.stride = k * grid.dim + k + 2;
    this.groups = grid.chunks.map((c) => Math.ceil(c.count / KMEANS_TILE));
    this.totalGroups = this.groups.reduce((a, b) => a + b, 0);
    this.labels = this.scope.input(new Uint32Array(grid.pixels).fill(NO_LABEL));
    this.dist = this.scope.storage(grid.pixels * 4);
    this.centroids = this.scope.storage(k * grid.dim * 4);
    this.records = this.scope.storage(this.totalGroups * this.stride * 4);
    this.totals = this.scope.storage(this.stride * 4);
  }

  /** One fused pass; returns the summed record (sums, counts, inertia, changed). */
  async pass(centroids: Float64Array, signal: AbortSignal | undefined): Promise<Float32Array> {
    const { device } = this.grid.context;
    device.queue.writeBuffer(this.centroids, 0, Float32Array.from(centroids));
    const passPipe = pipeline(device, KMEANS_PASS_WGSL);
    const reducePipe = pipeline(device, KMEANS_REDUCE_WGSL);
    const uniforms = new BufferScope(device);
    try {
      const encoder = device.createCommandEncoder();
      let offset = 0;
      this.grid.chunks.forEach((chunk, i) => {
        const params = uniforms.uniform(
          words([{ u: chunk.start }, { u: chunk.count }, { u: this.grid.dim }, { u: this.k }, { u: offset }]),
        );
        const buffers = [
          params,
          chunk.data,
          chunk.valid,
          this.centroids,
          this.labels,
          this.dist,
          this.records,
        ];
        dispatch(encoder, device, passPipe, buffers, this.groups[i]!);
        offset += this.groups[i]!;
      });
      const reduceParams = uniforms.uniform(words([{ u: this.stride }, { u: this.totalGroups }]));
      dispatch(
        encoder,
        device,
        reducePipe,
        [reduceParams, this.records, this.totals],
        Math.ceil(this.stride / 64),
      );
      device.queue.submit([encoder.finish()]);
      return new Float32Array(await readBack(device, this.totals, this.stride * 4, signal));
    } finally {
      uniforms.destroy();
    }
  }
}

/**
 * k-means with the Lloyd passes on the GPU: the same settings, seeding (on the CPU, from the
 * same seed), centroid update (float64) and empty-cluster re-seeding as kmeans(), so the same
 * seed gives the same labels up to float32 near-ties. Each pass reads back only the k x dim
 * sums, counts, inertia and change count; labels come back once at the end.
 */
export async function kmeansGpu(grid: GpuGrid, options: KMeansOptions): Promise<KMeansResult> {
  const s = kmeansSettings(options);
  const { onProgress, signal } = options;
  throwIfAborted(signal, 'Clustering');
  const cpuGrid = grid.grid;
  const { dim } = grid;
  const members = validMembers(cpuGrid, s.k);
  const centroids = initialCentroids(cpuGrid, members, s);
  const lloyd = new GpuLloyd(grid, s.k);
  const sums = new Float64Array(s.k * dim);
  const counts = new Uint32Array(s.k);
  const loop = new LloydLoop(s, centroids, sums, counts, onProgress);
  let patched: Array<[number, number]> = [];
  try {
    for (let it = 1; it <= s.maxIterations; it++) {
      throwIfAborted(signal, 'Clustering');
      const totals = await lloyd.pass(centroids, signal);
      for (let i = 0; i < s.k * dim; i++) sums[i] = totals[i]!;
      let empty = false;
      for (let c = 0; c < s.k; c++) {
        counts[c] = Math.round(totals[s.k * dim + c]!);
        if (counts[c] === 0) empty = true;
      }
      const changed = Math.round(totals[s.k * dim + s.k + 1]!);
      let inertia = totals[s.k * dim + s.k]!;
      patched = [];
      if (empty) {
        const reseed = await reseedOnCpu(lloyd, members, centroids, sums, counts, signal);
        inertia -= reseed.removed;
        patched = reseed.patched;
      }
      if (loop.afterPass(it, { inertia, changed, reseeded: patched.length })) break;
    }
    const raw = new Uint32Array(await readBack(grid.context.device, lloyd.labels, grid.pixels * 4, signal));
    const labels = Uint8Array.from(raw);
    for (const [p, c] of patched) labels[p] = c;
    return loop.result(labels);
  } finally {
    lloyd.scope.destroy();
  }
}

/** Empty clusters (rare): labels and distances come back to the CPU for reseedEmpty. */
async function reseedOnCpu(
  lloyd: GpuLloyd,
  members: Uint32Array,
  centroids: Float64Array,
  sums: Float64Array,
  counts: Uint32Array,
  signal: AbortSignal | undefined,
): Promise<{ removed: number; patched: Array<[number, number]> }> {
  const { device } = lloyd.grid.context;
  const pixels = lloyd.grid.pixels;
  const allLabels = new Uint32Array(await readBack(device, lloyd.labels, pixels * 4, signal));
  const allDist = new Float32Array(await readBack(device, lloyd.dist, pixels * 4, signal));
  const labels = new Uint8Array(members.length);
  const dist = new Float32Array(members.length);
  members.forEach((p, j) => {
    labels[j] = allLabels[p]!;
    dist[j] = allDist[p]!;
  });
  const before = labels.slice();
  const { removed } = reseedEmpty(lloyd.grid.grid, members, { labels, dist }, centroids, sums, counts);
  const patched: Array<[number, number]> = [];
  for (let j = 0; j < members.length; j++) {
    if (labels[j] !== before[j]) {
      patched.push([members[j]!, labels[j]!]);
      device.queue.writeBuffer(lloyd.labels, members[j]! * 4, new Uint32Array([labels[j]!]));
    }
  }
  return { removed, patched };
}
