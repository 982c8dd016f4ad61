import type { LonLat } from '../geo/index.ts';
import { polygonMask } from '../geo/index.ts';
import type { Scene } from './scene.ts';

/**
 * Marks the pixels of a scene outside a polygon (WGS84) as invalid, in place, so that
 * embeddings, similarity, clusters and exports cover only the polygon: every later step
 * already skips invalid pixels. Returns the same scene with its valid fraction and mask
 * description updated.
 */
export function maskSceneToPolygon(scene: Scene, ring: readonly LonLat[]): Scene {
  const { mask } = polygonMask(scene.grid, ring);
  const valid = scene.valid;
  let count = 0;
  for (let i = 0; i < valid.length; i++) {
    valid[i] = valid[i]! & mask[i]!;
    count += valid[i]!;
  }
  scene.validFraction = valid.length ? count / valid.length : 0;
  scene.maskDescription = `${scene.maskDescription}; outside the drawn polygon`;
  return scene;
}
