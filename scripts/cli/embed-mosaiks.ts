import * as ort from 'onnxruntime-node';
import type { EmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import type { MosaiksParams, MosaiksRequest } from '../../src/lib/encoder/index.ts';
import { encodeMosaiks, MosaiksSession, planMosaiks } from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { progress } from './io.ts';

/** The CLI flags of the MOSAIKS encoder and the parameter each sets. */
export const MOSAIKS_FLAGS = {
  filters: 'filters',
  kernel: 'kernel',
  pool: 'pool',
  stride: 'stride',
  seed: 'seed',
} as const satisfies Record<string, keyof MosaiksParams>;
export type MosaiksFlag = keyof typeof MOSAIKS_FLAGS;

/** Turns the flags' strings into a request; the ranges are checked by resolveMosaiksParams. */
export function mosaiksRequest(values: Partial<Record<MosaiksFlag, string>>): MosaiksRequest {
  const request: MosaiksRequest = {};
  for (const flag of Object.keys(MOSAIKS_FLAGS) as MosaiksFlag[]) {
    const text = values[flag];
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new AppError('bad-input', `--${flag} must be a number; got "${text}".`);
    }
    request[MOSAIKS_FLAGS[flag]] = value;
  }
  return request;
}

export interface MosaiksOutput {
  embeddings: EmbeddingGrid;
  grid: GridSpec;
  names: string[];
  dim: number;
  params: MosaiksParams;
}

/** Samples the scene's filters and encodes it on the patch grid with onnxruntime-node. */
export async function embedMosaiks(scene: Scene, request: MosaiksRequest): Promise<MosaiksOutput> {
  const plan = planMosaiks(scene, request);
  const session = await MosaiksSession.create(ort, plan.filters, plan.params, {
    graphOptimizationLevel: 'all',
  });
  try {
    const { embeddings, grid } = await encodeMosaiks(scene, plan, session, {
      onProgress: (p) => progress('encode', p.patchesDone, p.patchesTotal, { unit: 'patches' }),
    });
    return { embeddings, grid, names: plan.featureNames, dim: plan.dim, params: plan.params };
  } finally {
    await session.release();
  }
}
