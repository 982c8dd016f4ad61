/**
 * The land-cover measurement behind the spectral encoder's design (scripts/spectral-study.ts
 * prints it; tests/encoder/spectral-landcover.test.ts checks its claims): embeddings of one
 * labelled scene ranked by spatially block-split kNN accuracy (src/lib/classify's own spatial
 * CV and kNN), and the spread of the ten best scores of a similarity query.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cosineSimilarity, topKPlaces } from '../src/lib/analysis/index.ts';
import type { LabelState, TrainingSet } from '../src/lib/classify/index.ts';
import {
  buildTrainingSet,
  crossValidate,
  emptyLabelState,
  importGeoJsonLabels,
} from '../src/lib/classify/index.ts';
import { createEmbeddingGrid, type EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import {
  buildSpectralEncoder,
  encodeScene,
  findVariant,
  isSpectralBand,
  PixelEncoderSession,
  PrestoSession,
  parseModelManifest,
  prestoBatchInputs,
  sceneTexture,
  spectralManifest,
  verifyModelBytes,
} from '../src/lib/encoder/index.ts';
import type { Scene } from '../src/lib/scene/index.ts';
import { loadScene } from '../src/lib/scene/index.ts';
import { sourceRequest } from './cli/embed-source.ts';

export const ROOT = join(import.meta.dirname, '..');
export const DOLOMITES_LABELS = join(ROOT, 'tests/fixtures/dolomites-landcover.geojson');

/** A pack read through the CLI's path (served on 127.0.0.1, STAC + range requests). */
export async function loadPack(dir: string): Promise<Scene> {
  const { request, close } = await sourceRequest([dir], {});
  try {
    return await loadScene(request, () => undefined);
  } finally {
    await close();
  }
}

export function loadLabels(path: string): LabelState {
  return importGeoJsonLabels(emptyLabelState(), readFileSync(path, 'utf8')).state;
}

function georeferenced(scene: Scene, grid: EmbeddingGrid): EmbeddingGrid {
  return { ...grid, georef: { epsg: scene.grid.epsg, transform: scene.grid.transform } };
}

/** The encoders' bands of the scene, in the scene's order. */
function spectralBands(scene: Scene): string[] {
  const supported: readonly string[] = spectralManifest().input.bands;
  return scene.bands.filter((b) => supported.includes(b));
}

/** Per pixel, the reflectances themselves. */
export function rawBands(scene: Scene): EmbeddingGrid {
  const bands = spectralBands(scene);
  const columns = bands.map((b) => scene.reflectance[scene.bands.indexOf(b as Scene['bands'][number])]!);
  const n = scene.valid.length;
  const data = new Float32Array(n * bands.length);
  for (let p = 0; p < n; p++)
    columns.forEach((c, b) => {
      data[p * bands.length + b] = c[p]!;
    });
  const { width, height } = scene.grid;
  return georeferenced(scene, createEmbeddingGrid(width, height, bands.length, data, scene.valid.slice()));
}

/**
 * The first spectral design (until 2026-12), for comparison: z-scores of the bands and
 * NDVI/NDWI/NDBI where the bands allow, unit-normalised.
 */
export function spectralV1(scene: Scene): EmbeddingGrid {
  const m = spectralManifest();
  const bands = spectralBands(scene) as (keyof typeof m.mean)[];
  const col = (b: string) => scene.reflectance[scene.bands.indexOf(b as Scene['bands'][number])]!;
  const indices = m.indices.filter((i) => bands.includes(i.a) && bands.includes(i.b));
  const dim = bands.length + indices.length;
  const n = scene.valid.length;
  const data = new Float32Array(n * dim);
  const f = new Array<number>(dim);
  for (let p = 0; p < n; p++) {
    bands.forEach((b, i) => {
      f[i] = (col(b)[p]! - m.mean[b]) / m.std[b];
    });
    indices.forEach((x, i) => {
      const a = col(x.a)[p]!;
      const b = col(x.b)[p]!;
      f[bands.length + i] = Math.min(1, Math.max(-1, (a - b) / Math.max(a + b, 1e-6)));
    });
    const norm = Math.max(Math.hypot(...f), 1e-12);
    for (let d = 0; d < dim; d++) data[p * dim + d] = f[d]! / norm;
  }
  const { width, height } = scene.grid;
  return georeferenced(scene, createEmbeddingGrid(width, height, dim, data, scene.valid.slice()));
}

/** The spectral encoder as the app and the CLI run it: its ONNX graph, its texture columns. */
export async function spectralV2(scene: Scene): Promise<EmbeddingGrid> {
  const spec = buildSpectralEncoder(spectralBands(scene));
  const session = await PixelEncoderSession.create(
    ort,
    spec.bytes,
    { inputName: spec.inputName, outputName: spec.outputName, bands: spec.inputWidth, dim: spec.dim },
    {},
  );
  try {
    const grid = await encodeScene(scene, session, {
      dim: spec.dim,
      bands: spec.bands,
      extraColumns: sceneTexture(scene, spec.bands),
    });
    return georeferenced(scene, grid);
  } finally {
    await session.release();
  }
}

/** Presto (fp32, one date) at the labelled pixels only: the same samples, Presto's features. */
export async function prestoAt(scene: Scene, set: TrainingSet): Promise<TrainingSet> {
  const dir = join(ROOT, 'public/models/presto');
  const manifest = parseModelManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const variant = findVariant(manifest, 'fp32');
  const bytes = new Uint8Array(readFileSync(join(dir, variant.file)));
  await verifyModelBytes(bytes, variant);
  const session = await PrestoSession.create(ort, bytes, {});
  const bands = scene.bands.filter((b) => isSpectralBand(b));
  const columns = bands.map((b) => scene.reflectance[scene.bands.indexOf(b)]!);
  const month = new Date(scene.datetime).getUTCMonth();
  const n = set.pixels.length;
  const features = new Float32Array(n * PrestoSession.dim);
  try {
    for (let start = 0; start < n; start += 1024) {
      const indices = set.pixels.slice(start, Math.min(n, start + 1024));
      const pixels = new Float32Array(indices.length * bands.length);
      for (let i = 0; i < indices.length; i++)
        for (let b = 0; b < bands.length; b++) pixels[i * bands.length + b] = columns[b]![indices[i]!]!;
      const out = await session.encode(
        prestoBatchInputs(pixels, indices.length, indices, bands, scene.grid, [month]),
      );
      features.set(out, start * PrestoSession.dim);
    }
  } finally {
    await session.release();
  }
  return { ...set, dim: PrestoSession.dim, features };
}

export interface Ranking {
  /** Mean over the seeds of the block-split kNN (k = 5) overall and balanced accuracy. */
  accuracy: number;
  balanced: number;
  perSeed: number[];
  samples: number;
}

/** Spatial block CV (5 folds, whole blocks of `blockSizePx` per fold) of kNN k = 5, per seed. */
export function rankLandCover(
  set: TrainingSet,
  width: number,
  height: number,
  blockSizePx: number,
  seeds: number[],
): Ranking {
  const runs = seeds.map(
    (seed) =>
      crossValidate(set, { method: 'knn', k: 5 }, { width, height, blockSizePx, folds: 5, seed }).metrics,
  );
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  return {
    accuracy: mean(runs.map((m) => m.overall)),
    balanced: mean(runs.map((m) => m.balanced)),
    perSeed: runs.map((m) => m.overall),
    samples: set.classes.length,
  };
}

export function trainingSet(grid: EmbeddingGrid, labels: LabelState): TrainingSet {
  return buildTrainingSet(grid, labels).set;
}

/** The ten best places (no two within 10 pixels) for a query pixel, as the app shows them. */
export function topTen(grid: EmbeddingGrid, col: number, row: number): string[] {
  const q = row * grid.width + col;
  const scores = cosineSimilarity(grid, grid.data.slice(q * grid.dim, (q + 1) * grid.dim));
  return topKPlaces(scores, grid.width, grid.height, { k: 10, minSeparationPx: 10, queryIndex: q }).map((p) =>
    p.score.toFixed(4),
  );
}
