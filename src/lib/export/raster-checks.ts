/** Shared checks of rasters handed to the exporters. */
import { AppError } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import { CLUSTER_PALETTE, defaultClusterName, UNLABELLED } from '../render/index.ts';

/** Throws unless `length` values fill `grid` exactly. */
export function checkRasterSize(what: string, length: number, grid: GridSpec): void {
  const { width, height } = grid;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AppError('bad-input', `The scene grid must have a positive size, got ${width} x ${height}.`);
  }
  if (length !== width * height) {
    throw new AppError(
      'bad-input',
      `${what} has ${length} pixels but the ${width} x ${height} scene has ${width * height}.`,
    );
  }
}

/** Throws unless k is a cluster count the palette covers and every label is < k or 255. */
export function checkClusterLabels(labels: Uint8Array, k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > CLUSTER_PALETTE.length) {
    throw new AppError('bad-input', `Number of clusters must be 1..${CLUSTER_PALETTE.length}, got ${k}.`);
  }
  for (let p = 0; p < labels.length; p++) {
    const l = labels[p]!;
    if (l >= k && l !== UNLABELLED) {
      throw new AppError('bad-input', `Pixel ${p} has cluster ${l}, but there are only ${k} clusters.`);
    }
  }
}

/** Display names of clusters 0..k-1: the given ones, else "cluster 0", "cluster 1", ... (their values). */
export function clusterNames(k: number, names?: readonly string[]): string[] {
  if (names !== undefined && names.length !== k) {
    throw new AppError('bad-input', `${names.length} cluster names were given for ${k} clusters.`);
  }
  return Array.from({ length: k }, (_, i) => names?.[i]?.trim() || defaultClusterName(i));
}
