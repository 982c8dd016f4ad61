import type { Scene } from '../scene/index.ts';
import type { BackendPreference } from './capabilities.ts';
import type { ModelOption } from './encoder-spec.ts';
import type { EncodingPlan, PatchPlan, PixelPlan } from './family.ts';
import { familyOf } from './registry.ts';

export type { EncodingPlan, PatchPlan, PixelPlan };

/**
 * The plan for a model on a scene at `factor` x its resolution, as the model's family makes
 * it: per-pixel batches of a (possibly coarser) target, or tiles of patches. `series`
 * (yearly mode) are the scenes of each month, on the scene's grid, oldest first.
 */
export function planEncoding(
  option: ModelOption,
  scene: Scene,
  factor: number,
  preference: BackendPreference,
  series?: readonly Scene[],
): EncodingPlan {
  return familyOf(option).plan(option, scene, { factor, preference, ...(series ? { series } : {}) });
}
