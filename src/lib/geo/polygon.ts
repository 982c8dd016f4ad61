/**
 * Geometry of an area of interest drawn on the map, in WGS84 degrees. A polygon is an open
 * ring: its corners in order, the first not repeated at the end (closeRing() adds it for
 * GeoJSON). Edges are what the map draws: straight lines on the Web Mercator map, which
 * densifyRing() follows, so the area and the pixel mask match the outline the user sees.
 */
import { AppError } from '../errors.ts';
import type { BBox } from './geotransform.ts';

export type LonLat = [lon: number, lat: number];

/** More corners than anyone draws by hand; keeps links short (about 20 characters a corner). */
export const MAX_POLYGON_VERTICES = 100;
/** The Web Mercator map ends here; edges beyond it have no straight-line meaning on the map. */
export const MAX_LATITUDE = 85.05;
/** Radius of the sphere with the WGS84 ellipsoid's surface area (authalic radius), km. */
export const AUTHALIC_RADIUS_KM = 6371.007181;

const RAD = Math.PI / 180;

/** [west, south, east, north] of a set of points. */
export function ringBBox(ring: readonly LonLat[]): BBox {
  let box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of ring)
    box = [Math.min(box[0], lon), Math.min(box[1], lat), Math.max(box[2], lon), Math.max(box[3], lat)];
  return box;
}

/** The open ring of a list of points: the closing repeat and consecutive repeats dropped. */
export function openRing(points: readonly LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push([p[0], p[1]]);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
  return out;
}

/** The closed ring GeoJSON wants (first corner repeated at the end). */
export function closeRing(ring: readonly LonLat[]): LonLat[] {
  const first = ring[0];
  return first ? [...ring.map((p): LonLat => [p[0], p[1]]), [first[0], first[1]]] : [];
}

/** The four corners of a box as an open ring, clockwise from the north-west on the map. */
export function boxRing(box: BBox): LonLat[] {
  const [w, s, e, n] = box;
  return [
    [w, n],
    [e, n],
    [e, s],
    [w, s],
  ];
}

const mercatorY = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2));
const latFromMercatorY = (y: number): number => (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD;

/**
 * The ring with extra points on every edge, at most `stepDeg` apart, placed along the
 * straight line on the Web Mercator map (longitude linear, latitude linear in Mercator y).
 * A 100 km east-west edge at 46°N bows by about 200 m between a straight map line and a
 * straight UTM line; with 0.01° steps the densified edge stays within a few centimetres.
 */
export function densifyRing(ring: readonly LonLat[], stepDeg = 0.01): LonLat[] {
  const out: LonLat[] = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    const steps = Math.min(
      1000,
      Math.max(1, Math.ceil(Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])) / stepDeg)),
    );
    const ya = mercatorY(a[1]);
    const yb = mercatorY(b[1]);
    for (let k = 0; k < steps; k++) {
      const f = k / steps;
      out.push([a[0] + (b[0] - a[0]) * f, k === 0 ? a[1] : latFromMercatorY(ya + (yb - ya) * f)]);
    }
  }
  return out;
}

/**
 * Ground area in km² of a polygon as drawn, on the authalic sphere (same total area as the
 * WGS84 ellipsoid): the densified ring's edges are taken as straight lines in the
 * cylindrical equal-area projection, A = R²/2 · |Σ (λ[i+1] − λ[i−1]) · sin φ[i]|, which is
 * exact along parallels and meridians. Against the ellipsoid it is +0.45% at the equator,
 * exact near ±35°, −0.35% at 50° and −0.6% at 60° (a sphere is too round for the flattened
 * poles): good for sizes and pixel counts, not for surveying.
 */
export function ringAreaKm2(ring: readonly LonLat[]): number {
  const points = densifyRing(ring);
  const n = points.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const prev = points[(i + n - 1) % n]!;
    const next = points[(i + 1) % n]!;
    sum += (next[0] - prev[0]) * RAD * Math.sin(points[i]![1] * RAD);
  }
  return (Math.abs(sum) * AUTHALIC_RADIUS_KM * AUTHALIC_RADIUS_KM) / 2;
}

/** Sign of the turn a -> b -> c: > 0 left, < 0 right, 0 collinear. */
function orient(a: LonLat, b: LonLat, c: LonLat): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < 1e-18 ? 0 : Math.sign(v);
}

function onSegment(a: LonLat, b: LonLat, p: LonLat): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** Whether segments ab and cd share any point (touching and overlapping count). */
export function segmentsIntersect(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
}

/**
 * The first pair of edges (indices: edge i runs from corner i to corner i+1) that cross or
 * touch anywhere other than at the corner they share; undefined for a simple polygon. Tested
 * in degrees, which keeps every straight map edge straight (a monotonic change of latitude
 * cannot make two edges cross that did not). O(n²): fine for MAX_POLYGON_VERTICES.
 */
export function selfIntersection(ring: readonly LonLat[]): [number, number] | undefined {
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      const c = ring[j]!;
      const d = ring[(j + 1) % n]!;
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (!adjacent) {
        if (segmentsIntersect(a, b, c, d)) return [i, j];
        continue;
      }
      // Neighbours share one corner; they intersect only when one folds back along the other.
      const [shared, p, q] = j === i + 1 ? [b, a, d] : [a, b, c];
      if (orient(p, shared, q) === 0 && (onSegment(shared, p, q) || onSegment(shared, q, p))) return [i, j];
    }
  }
  return undefined;
}

/**
 * Checks a polygon typed, drawn or read from a link, and returns its open ring. Messages say
 * what to do: too few or too many corners, corners off the map, edges that cross.
 */
export function validatePolygon(points: readonly LonLat[]): LonLat[] {
  if (!points.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])))
    throw new AppError('bad-input', 'Polygon corners must be numbers (longitude, latitude in degrees).');
  const ring = openRing(points);
  if (ring.length < 3)
    throw new AppError(
      'bad-input',
      'A polygon needs at least 3 corners: place more corners before closing it.',
    );
  if (ring.length > MAX_POLYGON_VERTICES)
    throw new AppError(
      'bad-input',
      `A polygon may have at most ${MAX_POLYGON_VERTICES} corners (this one has ${ring.length}); draw a simpler outline.`,
    );
  if (ring.some(([lon, lat]) => Math.abs(lon) > 180 || Math.abs(lat) > MAX_LATITUDE))
    throw new AppError(
      'bad-input',
      `Polygon corners must lie within -180..180° longitude and ±${MAX_LATITUDE}° latitude.`,
    );
  const crossing = selfIntersection(ring);
  if (crossing)
    throw new AppError(
      'bad-input',
      `The polygon's edges ${crossing[0] + 1} and ${crossing[1] + 1} cross: an area's outline must not cross itself. Remove corners with Backspace or draw it again.`,
    );
  if (ringAreaKm2(ring) <= 0)
    throw new AppError('bad-input', 'The polygon has no area: its corners lie on one line.');
  return ring;
}
