import { AppError } from '../errors.ts';
import type { BBox } from '../geo/geotransform.ts';
import { ringAreaKm2 } from '../geo/polygon.ts';
import { fetchJson } from '../net/fetch-checked.ts';
import { parseItemCollection } from '../stac/parse-items.ts';
import { chooseScene } from '../stac/select-item.ts';

/** What the area field needs to estimate a pack opened whole, before any pixel is read. */
export interface PackExtent {
  /** WGS84 box of the scene a whole-pack load opens. */
  box: BBox;
  /** Its footprint's area (its box overstates a UTM tile by a few percent). */
  areaKm2: number | undefined;
  /** Its red band's pixel size in metres (gsd; 10 when the item does not say). */
  pixelM: number;
}

/**
 * Reads a pack's catalog (a few KB) for the scene a load without an area opens (the same
 * choice as loadScene's), so a whole pack gets a size estimate and a large-area warning.
 */
export async function packExtent(catalogUrl: string, signal?: AbortSignal): Promise<PackExtent> {
  const json = await fetchJson(catalogUrl, {}, { service: 'the pack server', signal, timeoutMs: 15_000 });
  const { items } = parseItemCollection(json, catalogUrl, `Pack catalog ${catalogUrl}`);
  const [item] = items.length ? chooseScene(items, ['red', 'green', 'blue']) : [];
  if (!item)
    throw new AppError('bad-input', `Pack catalog ${catalogUrl} has no scene with red, green and blue.`);
  const rings = item.footprint;
  return {
    box: item.bboxWgs84,
    areaKm2: rings?.length ? rings.reduce((sum, ring) => sum + ringAreaKm2(ring), 0) : undefined,
    pixelM: item.assets.red?.gsd ?? 10,
  };
}
