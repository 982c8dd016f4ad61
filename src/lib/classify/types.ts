/**
 * Classification domain types: classes an analyst defines, labels placed on the map, and the
 * classifier settings. Labels live in WGS84 so they survive a change of scene, resolution or
 * encoder; they become pixels only when a training set is built on one embedding grid.
 */
import type { LonLat } from '../geo/index.ts';

/** A class: its raster value is its index in the class list (0..MAX_CLASSES-1). */
export interface ClassDef {
  /** Stable id: labels refer to it, so renaming or reordering never relabels anything. */
  id: string;
  name: string;
  /** '#rrggbb'. */
  colour: string;
}

/** Where a label lies: one point (click, brush dab) or a polygon (closed by the reader). */
export type LabelGeometry = { kind: 'point'; at: LonLat } | { kind: 'polygon'; ring: LonLat[] };

export interface Label {
  id: number;
  classId: string;
  geometry: LabelGeometry;
}

/** Classes, labels and the ids handed out so far (ids never repeat, even after undo). */
export interface LabelState {
  classes: ClassDef[];
  labels: Label[];
  nextLabelId: number;
  nextClassId: number;
}

/** Class values are uint8 raster values; 254 and 255 are kept for "uncertain" and nodata. */
export const MAX_CLASSES = 32;
/** Raster value of pixels whose confidence is below the threshold. */
export const UNCERTAIN = 254;
/** Raster value of pixels without a prediction (no valid embedding). */
export const NO_CLASS = 255;

export interface KnnSpec {
  method: 'knn';
  /** Neighbours that vote (cosine similarity); 1..MAX_K. */
  k: number;
}

export interface LogRegSpec {
  method: 'logreg';
  /** L2 penalty on the weights (not the biases), added to the mean cross-entropy. */
  l2: number;
  /** Converged when the largest gradient component is at most this. */
  tolerance: number;
  maxIterations: number;
}

export type ClassifierSpec = KnnSpec | LogRegSpec;
export type ClassifierMethod = ClassifierSpec['method'];

export const MAX_K = 50;
export const DEFAULT_KNN: KnnSpec = { method: 'knn', k: 5 };
export const DEFAULT_LOGREG: LogRegSpec = { method: 'logreg', l2: 1e-3, tolerance: 1e-5, maxIterations: 500 };

/**
 * Labelled pixels of one embedding grid: sample i is pixel pixels[i], class classes[i]
 * (index into the class list), drawn by label groups[i] (spatial CV keeps a label's pixels
 * together), with its embedding at features[i * dim ..].
 */
export interface TrainingSet {
  dim: number;
  classCount: number;
  features: Float32Array;
  classes: Uint8Array;
  pixels: Uint32Array;
  groups: Uint32Array;
}
