import type { JobEstimate, JobModel } from './job-plan.ts';
import type { JobTile } from './tiling.ts';

/**
 * Encoding speed per CPU core on onnxruntime-node (pixels/s, one thread), from `npm run bench`
 * on the project's 2-core test machine: Presto 4,521 and Galileo-nano 2,078 (README, Galileo-nano
 * section). The spectral graph alone runs ~590,000 pixels/s on 2 busy cores
 * (`spectral_encode_node`); reading the bands dominates its jobs, hence a conservative figure.
 * The plan's compute estimate is pixels / this; a real node's cores are usually faster.
 */
export const PIXELS_PER_CORE_SECOND: Readonly<Record<JobModel, number>> = {
  spectral: 150_000,
  presto: 4_500,
  'galileo-nano': 2_000,
};

/**
 * Context pixels a model needs around each tile (read, encoded, then cropped), so a pixel
 * near a tile edge sees what it would see inside one big scene. The job models are per-pixel
 * (Galileo in pixel mode): 0. A patch model would return its receptive field here.
 */
export function modelHalo(_model: JobModel): number {
  return 0;
}

export function jobEstimate(
  tiles: readonly JobTile[],
  model: JobModel,
  dim: number,
  bytesPerValue: number,
): JobEstimate {
  const pixels = tiles.reduce((n, t) => n + t.grid.width * t.grid.height, 0);
  const areaKm2 = tiles.reduce(
    (a, t) => a + (t.grid.width * t.grid.transform.resX * t.grid.height * t.grid.transform.resY) / 1e6,
    0,
  );
  return {
    pixels,
    areaKm2,
    coreSeconds: pixels / PIXELS_PER_CORE_SECOND[model],
    outputBytes: pixels * dim * bytesPerValue,
  };
}
