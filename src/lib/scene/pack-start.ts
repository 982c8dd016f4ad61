import type { BBox, LonLat } from '../geo/index.ts';
import type { LoadResolution } from './load-resolution.ts';
import type { SceneRequest } from './scene.ts';

/** A pack a server offers (its packs/index.json): name and catalog.json URL. */
export interface PackEntry {
  name: string;
  href: string;
}

/**
 * What a start-up link says of the pack to open: its name (absent: the server's first pack),
 * the area that cuts it, the polygon that masks it, the pixel size and the chosen items. The
 * pack's URL comes from the server's index, so the page (startup.ts) and the scene worker,
 * which begins the read before the page's script has loaded, build the same request from it.
 */
export interface PackStartPlan {
  name?: string | undefined;
  area?: BBox | undefined;
  polygon?: LonLat[] | undefined;
  resolutionM?: LoadResolution | undefined;
  itemIds?: string[] | undefined;
}

/** The pack a start-up opens and the request that reads it; undefined when the server lacks it. */
export function packStartRequest(
  plan: PackStartPlan,
  found: readonly PackEntry[],
): { pack: PackEntry; request: SceneRequest } | undefined {
  const pack = plan.name === undefined ? found[0] : found.find((p) => p.name === plan.name);
  if (!pack) return undefined;
  const request: SceneRequest = {
    kind: 'pack',
    catalogUrl: pack.href,
    ...(plan.area ? { area: plan.area } : {}),
    ...(plan.polygon ? { polygon: plan.polygon } : {}),
    ...(plan.resolutionM ? { resolutionM: plan.resolutionM } : {}),
    ...(plan.itemIds ? { itemIds: plan.itemIds } : {}),
  };
  return { pack, request };
}

/** The key under which a read is adopted by a later load of the same request. */
export function sceneRequestKey(request: SceneRequest): string {
  return JSON.stringify(request);
}
