/**
 * The precomputed embeddings a link names: the product family, its base URL (a setting the
 * user may have changed: a mirror, a collection's address), the year and, when no scene
 * gives the grid, the area. Parsed as strictly as the rest of a link.
 */
export interface PrecomputedLink {
  family: string;
  baseUrl: string;
  year?: number;
  /** WGS84 [west, south, east, north]; absent when the embeddings lie on the linked scene's grid. */
  area?: [number, number, number, number];
}

const FAMILY = /^[a-z][a-z0-9-]{0,31}$/;

/** Reads `emb`, `emb_url`, `emb_year` and `emb_bbox`; what is malformed goes to `rejected`. */
export function parsePrecomputedLink(
  params: URLSearchParams,
  rejected: string[],
): PrecomputedLink | undefined {
  const family = params.get('emb');
  if (family === null) {
    if (params.has('emb_url')) rejected.push('emb_url: a base URL needs a product (emb)');
    return undefined;
  }
  if (!FAMILY.test(family)) {
    rejected.push(`emb: "${family.slice(0, 40)}" is not a product name`);
    return undefined;
  }
  const url = params.get('emb_url') ?? '';
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    rejected.push('emb_url: not an http(s) URL');
    return undefined;
  }
  const link: PrecomputedLink = { family, baseUrl: parsed.href };
  const year = params.get('emb_year');
  if (year !== null) {
    const y = Number(year);
    if (Number.isInteger(y) && y >= 1900 && y <= 2200) link.year = y;
    else rejected.push('emb_year: expected a year such as 2022');
  }
  const bbox = params.get('emb_bbox');
  if (bbox !== null) {
    const box = bbox.split(',').map(Number);
    const [w = 0, s = 0, e = 0, n = 0] = box;
    if (box.length === 4 && box.every(Number.isFinite) && w < e && s < n && s >= -90 && n <= 90)
      link.area = [w, s, e, n];
    else rejected.push('emb_bbox: expected W,S,E,N in degrees');
  }
  return link;
}

export function writePrecomputedLink(params: URLSearchParams, link: PrecomputedLink | undefined): void {
  if (!link) return;
  params.set('emb', link.family);
  params.set('emb_url', link.baseUrl);
  if (link.year !== undefined) params.set('emb_year', String(link.year));
  if (link.area) params.set('emb_bbox', link.area.map((v) => Number(v.toFixed(6))).join(','));
}
