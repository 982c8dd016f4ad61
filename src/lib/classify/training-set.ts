/**
 * Labels to pixels of one embedding grid: a point labels the pixel it falls in, a polygon
 * every pixel whose centre it contains. Pixels without a valid embedding, outside the grid,
 * or claimed by two classes are left out and counted, never silently relabelled.
 */
import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import { converter, crsToPixel, type GridSpec, polygonMask } from '../geo/index.ts';
import type { LabelState, TrainingSet } from './types.ts';

export interface TrainingSetReport {
  set: TrainingSet;
  /** Labelled pixels per class, in class order. */
  perClass: number[];
  outside: number;
  invalid: number;
  /** Pixels two classes claim; dropped from training. */
  conflicting: number;
}

/** Builds the training set; bad-input when the grid is not georeferenced. */
export function buildTrainingSet(grid: EmbeddingGrid, state: LabelState): TrainingSetReport {
  if (!grid.georef)
    throw new AppError('bad-input', 'The embeddings have no georeference, so labels cannot be placed.');
  const spec: GridSpec = { width: grid.width, height: grid.height, ...grid.georef };
  const classIndex = new Map(state.classes.map((c, i) => [c.id, i]));
  const toGrid = converter(4326, spec.epsg);
  // pixel -> class value, or -2 for a pixel two classes claim; first label id per pixel.
  const owner = new Map<number, { cls: number; group: number }>();
  let outside = 0;
  const claim = (pixel: number, cls: number, group: number) => {
    const prev = owner.get(pixel);
    if (!prev) owner.set(pixel, { cls, group });
    else if (prev.cls !== cls) prev.cls = -2;
  };
  for (const label of state.labels) {
    const cls = classIndex.get(label.classId);
    if (cls === undefined) continue;
    if (label.geometry.kind === 'point') {
      const [x, y] = toGrid(label.geometry.at);
      const [fc, fr] = crsToPixel(spec.transform, x, y);
      const col = Math.floor(fc);
      const row = Math.floor(fr);
      if (col >= 0 && col < spec.width && row >= 0 && row < spec.height)
        claim(row * spec.width + col, cls, label.id);
      else outside++;
    } else {
      const { mask, inside } = polygonMask(spec, label.geometry.ring);
      if (inside === 0) outside++;
      for (let p = 0; p < mask.length; p++) if (mask[p] === 1) claim(p, cls, label.id);
    }
  }
  const keep: [number, number, number][] = [];
  let invalid = 0;
  let conflicting = 0;
  for (const [pixel, { cls, group }] of owner) {
    if (cls < 0) conflicting++;
    else if (grid.valid[pixel] === 0) invalid++;
    else keep.push([pixel, cls, group]);
  }
  keep.sort((a, b) => a[0] - b[0]);
  const n = keep.length;
  const dim = grid.dim;
  const set: TrainingSet = {
    dim,
    classCount: state.classes.length,
    features: new Float32Array(n * dim),
    classes: new Uint8Array(n),
    pixels: new Uint32Array(n),
    groups: new Uint32Array(n),
  };
  const perClass = new Array<number>(state.classes.length).fill(0);
  keep.forEach(([pixel, cls, group], i) => {
    set.features.set(grid.data.subarray(pixel * dim, (pixel + 1) * dim), i * dim);
    set.classes[i] = cls;
    set.pixels[i] = pixel;
    set.groups[i] = group;
    perClass[cls] = (perClass[cls] ?? 0) + 1;
  });
  return { set, perClass, outside, invalid, conflicting };
}

/** The samples at `indices`, as a new training set (CV folds, learning curves). */
export function subset(set: TrainingSet, indices: ArrayLike<number>): TrainingSet {
  const n = indices.length;
  const { dim } = set;
  const out: TrainingSet = {
    dim,
    classCount: set.classCount,
    features: new Float32Array(n * dim),
    classes: new Uint8Array(n),
    pixels: new Uint32Array(n),
    groups: new Uint32Array(n),
  };
  for (let j = 0; j < n; j++) {
    const i = indices[j]!;
    out.features.set(set.features.subarray(i * dim, (i + 1) * dim), j * dim);
    out.classes[j] = set.classes[i]!;
    out.pixels[j] = set.pixels[i]!;
    out.groups[j] = set.groups[i]!;
  }
  return out;
}
