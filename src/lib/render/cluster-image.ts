import { AppError } from '../errors.ts';

/**
 * Tableau 20, reordered so the ten saturated colours come first and their light partners
 * after: with the usual k of 4..10, neighbouring clusters then never get two shades of the
 * same hue. [r, g, b] bytes, index = cluster label.
 */
export const CLUSTER_PALETTE: readonly (readonly [number, number, number])[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
  [174, 199, 232],
  [255, 187, 120],
  [152, 223, 138],
  [255, 152, 150],
  [197, 176, 213],
  [196, 156, 148],
  [247, 182, 210],
  [199, 199, 199],
  [219, 219, 141],
  [158, 218, 229],
];

/** Label of pixels without a cluster (invalid pixels); matches kmeans' NO_LABEL. */
export const UNLABELLED = 255;

/** CSS colour of a cluster, for legends. */
export function clusterColourCss(label: number): string {
  const c = CLUSTER_PALETTE[label];
  if (!c) throw new AppError('bad-input', `No palette colour for cluster ${label}.`);
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export interface ClusterImageOptions {
  /** Clusters the analyst switched off: drawn transparent. */
  hidden?: ReadonlySet<number>;
  /** Alpha of drawn clusters. */
  alpha?: number;
  out?: Uint8ClampedArray;
}

/**
 * RGBA pixels for a BitmapLayer: label l gets CLUSTER_PALETTE[l]; 255, hidden labels and any
 * label without a palette entry are transparent. A 256-entry RGBA table built up front keeps
 * the per-pixel work to four byte copies.
 */
export function labelsToRgba(labels: Uint8Array, options: ClusterImageOptions = {}): Uint8ClampedArray {
  const { hidden, alpha = 255 } = options;
  const rgba = options.out ?? new Uint8ClampedArray(labels.length * 4);
  if (rgba.length !== labels.length * 4) {
    throw new AppError('bad-input', `Output buffer has ${rgba.length} bytes; ${labels.length * 4} needed.`);
  }
  const table = new Uint8Array(256 * 4);
  CLUSTER_PALETTE.forEach((c, label) => {
    if (hidden?.has(label)) return;
    table.set([c[0], c[1], c[2], alpha], label * 4);
  });
  for (let i = 0, o = 0; i < labels.length; i++, o += 4) {
    const t = labels[i]! * 4;
    rgba[o] = table[t]!;
    rgba[o + 1] = table[t + 1]!;
    rgba[o + 2] = table[t + 2]!;
    rgba[o + 3] = table[t + 3]!;
  }
  return rgba;
}

/**
 * A cluster's name until the analyst gives one: its value in the cluster map and in the
 * exported GeoTIFF (0..k-1), so "cluster 3" on screen is value 3 in GIS.
 */
export function defaultClusterName(value: number): string {
  return `cluster ${value}`;
}
