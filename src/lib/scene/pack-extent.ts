import { AppError } from '../errors.ts';
import type { BBox, GridSpec } from '../geo/index.ts';
import { ringAreaKm2 } from '../geo/index.ts';
import { fetchJson } from '../net/index.ts';
import type { SceneItem } from '../stac/index.ts';
import { chooseScene, parseItemCollection } from '../stac/index.ts';

/** What the area field needs to estimate a pack opened whole, before any pixel is read. */
export interface PackExtent {
  /** WGS84 box of the scene a whole-pack load opens. */
  box: BBox;
  /** Its footprint's area (its box overstates a UTM tile by a few percent). */
  areaKm2: number | undefined;
  /** Its red band's pixel size in metres (gsd; 10 when the item does not say). */
  pixelM: number;
  /**
   * Its red band's pixel grid (proj:shape, proj:transform), when the item gives it: the grid
   * a load is cut from, so an estimate counts exactly the pixels the load will read.
   */
  lattice?: GridSpec | undefined;
}

/** The red asset's grid from its STAC projection fields, or undefined when they are incomplete. */
function redLattice(item: SceneItem): GridSpec | undefined {
  const assets = item.raw?.assets;
  const red =
    typeof assets === 'object' && assets !== null ? (assets as Record<string, unknown>).red : undefined;
  const field = (key: string) =>
    typeof red === 'object' && red !== null ? (red as Record<string, unknown>)[key] : undefined;
  const shape = field('proj:shape');
  const t = field('proj:transform');
  const ok = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
  if (!item.epsg || !ok(shape) || !ok(t) || shape.length !== 2 || t.length < 6) return undefined;
  const [rows, cols] = shape as [number, number];
  const [resX, , originX, , negResY, originY] = t as [number, number, number, number, number, number];
  if (!(rows > 0 && cols > 0 && resX > 0 && negResY < 0)) return undefined;
  return {
    width: cols,
    height: rows,
    epsg: item.epsg,
    transform: { originX, originY, resX, resY: -negResY },
  };
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
    lattice: redLattice(item),
  };
}
