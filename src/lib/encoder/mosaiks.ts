import type { Scene } from '../scene/index.ts';
import { type MosaiksFilters, sampleMosaiksFilters } from './mosaiks-filters.ts';
import { type MosaiksInput, mosaiksInput } from './mosaiks-input.ts';
import {
  type MosaiksParams,
  type MosaiksRequest,
  mosaiksDim,
  mosaiksFeatureNames,
  resolveMosaiksParams,
} from './mosaiks-params.ts';
import {
  encodeSceneByPatches,
  type PatchEncodeResult,
  type PatchEncoder,
  type PatchProgress,
} from './mosaiks-tiles.ts';

/**
 * The MOSAIKS encoder in two calls, for the app's workers and the CLI:
 *
 *   const plan = planMosaiks(scene, { filters: 64, stride: 4, seed: 0 });   // where the scene is
 *   const session = await MosaiksSession.create(ort, plan.filters, plan.params, sessionOptions);
 *   const { embeddings, grid } = await encodeMosaiks(scene, plan, session, { signal, onProgress });
 *
 * `plan.filters` holds only typed arrays and plain values, so it can be posted to the encoder
 * worker that owns the ONNX session; `encodeMosaiks` then takes any PatchEncoder, e.g. a
 * comlink proxy of that session.
 */
export interface MosaiksPlan {
  params: MosaiksParams;
  input: MosaiksInput;
  filters: MosaiksFilters;
  /** 2K. */
  dim: number;
  /** One name per dimension, for exports. */
  featureNames: string[];
}

/** Checks the request, z-score statistics of the scene, and the scene's filters (seeded). */
export function planMosaiks(
  scene: Scene,
  request: MosaiksRequest = {},
  bands?: readonly string[],
): MosaiksPlan {
  const params = resolveMosaiksParams(request);
  const input = bands ? mosaiksInput(scene, bands) : mosaiksInput(scene);
  return {
    params,
    input,
    filters: sampleMosaiksFilters(input, params),
    dim: mosaiksDim(params),
    featureNames: mosaiksFeatureNames(params),
  };
}

export interface MosaiksEncodeOptions {
  signal?: AbortSignal;
  onProgress?: (progress: PatchProgress) => void;
  /** Called once with the still empty grid before the first tile, to show it as it fills. */
  onStart?: (result: PatchEncodeResult) => void;
  /** Allocate the grid in a SharedArrayBuffer so workers read it without copies. */
  shared?: boolean;
  /** Patches per tile side (default: tiles of about 16 MB of feature maps). */
  tilePatches?: number;
}

/** Encodes the scene on the plan's patch grid; unit-length embeddings, georeferenced. */
export function encodeMosaiks(
  scene: Scene,
  plan: MosaiksPlan,
  encoder: PatchEncoder,
  options: MosaiksEncodeOptions = {},
): Promise<PatchEncodeResult> {
  return encodeSceneByPatches(scene, encoder, {
    ...options,
    input: plan.input,
    geometry: plan.params,
    dim: plan.dim,
    minValidFraction: plan.params.minValidFraction,
  });
}
