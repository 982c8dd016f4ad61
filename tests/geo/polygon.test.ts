import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import {
  boxRing,
  closeRing,
  densifyRing,
  type LonLat,
  MAX_POLYGON_VERTICES,
  openRing,
  ringAreaKm2,
  ringBBox,
  selfIntersection,
  validatePolygon,
} from '../../src/lib/geo/polygon.ts';

/**
 * Independent reference: the area of a latitude-longitude box on the WGS84 ellipsoid, from the
 * authalic-latitude function q(φ) (Snyder, Map Projections: A Working Manual, eq. 3-12).
 */
function ellipsoidBoxKm2(w: number, s: number, e: number, n: number): number {
  const a = 6378.137;
  const f = 1 / 298.257223563;
  const e2 = f * (2 - f);
  const ecc = Math.sqrt(e2);
  const q = (lat: number) => {
    const sin = Math.sin((lat * Math.PI) / 180);
    return (
      (1 - e2) * (sin / (1 - e2 * sin * sin) + (1 / (2 * ecc)) * Math.log((1 + ecc * sin) / (1 - ecc * sin)))
    );
  };
  return ((a * a) / 2) * (q(n) - q(s)) * (((e - w) * Math.PI) / 180);
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).message;
  }
  throw new Error('expected an error');
}

const DIAMOND: LonLat[] = [
  [12.2, 46.6],
  [12.25, 46.58],
  [12.2, 46.56],
  [12.15, 46.58],
];

describe('polygon geometry', () => {
  it('bounding box, opening and closing rings', () => {
    expect(ringBBox(DIAMOND)).toEqual([12.15, 46.56, 12.25, 46.6]);
    const closed = closeRing(DIAMOND);
    expect(closed).toHaveLength(5);
    expect(closed[4]).toEqual(closed[0]);
    // A closed ring with a repeated corner opens to the distinct corners.
    expect(openRing([...closed.slice(0, 2), closed[1]!, ...closed.slice(2)])).toEqual(DIAMOND);
    expect(closeRing([])).toEqual([]);
    expect(boxRing([1, 2, 3, 4])).toEqual([
      [1, 4],
      [3, 4],
      [3, 2],
      [1, 2],
    ]);
  });

  it('a 1° x 1° cell at the equator is about 12,308 km² (WGS84); the sphere is within its documented error', () => {
    const equator = ringAreaKm2(boxRing([0, 0, 1, 1]));
    const reference = ellipsoidBoxKm2(0, 0, 1, 1);
    expect(reference).toBeCloseTo(12308.5, 0);
    // The authalic sphere is 0.45% large at the equator ...
    expect(equator / reference - 1).toBeCloseTo(0.0045, 3);
    // ... within 0.2% at mid-latitudes (Wyoming's box, 41–45°N, 104.05–111.05°W) ...
    const wyoming = ringAreaKm2(boxRing([-111.05, 41, -104.05, 45]));
    expect(Math.abs(wyoming / ellipsoidBoxKm2(-111.05, 41, -104.05, 45) - 1)).toBeLessThan(0.002);
    // ... and 0.6% small at 60°N.
    expect(ringAreaKm2(boxRing([0, 60, 1, 61])) / ellipsoidBoxKm2(0, 60, 1, 61) - 1).toBeCloseTo(-0.0057, 3);
  });

  it('area does not depend on the ring direction or the first corner; a diamond is half its box', () => {
    const a = ringAreaKm2(DIAMOND);
    expect(ringAreaKm2([...DIAMOND].reverse())).toBeCloseTo(a, 9);
    expect(ringAreaKm2([...DIAMOND.slice(2), ...DIAMOND.slice(0, 2)])).toBeCloseTo(a, 9);
    expect(a / ringAreaKm2(boxRing(ringBBox(DIAMOND)))).toBeCloseTo(0.5, 3);
  });

  it('densifies edges along straight lines of the Web Mercator map', () => {
    const ring: LonLat[] = [
      [0, 0],
      [1, 60],
      [0, 60],
    ];
    const dense = densifyRing(ring, 0.1);
    expect(dense.length).toBeGreaterThan(600);
    // The first edge's midpoint in longitude is the midpoint in Mercator y, not in latitude.
    const mid = dense.find((p) => Math.abs(p[0] - 0.5) < 1e-9)!;
    const merc = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    expect(merc(mid[1])).toBeCloseTo(merc(60) / 2, 9);
    expect(mid[1]).toBeGreaterThan(33);
  });

  it('finds crossing and folded edges, not shared corners', () => {
    expect(selfIntersection(DIAMOND)).toBeUndefined();
    const concave: LonLat[] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 1],
      [0, 4],
    ];
    expect(selfIntersection(concave)).toBeUndefined();
    const bowtie: LonLat[] = [
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 1],
    ];
    expect(selfIntersection(bowtie)).toEqual([0, 2]);
    // A corner touching another edge counts as crossing.
    const touching: LonLat[] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 0],
      [0, 4],
    ];
    expect(selfIntersection(touching)).toBeDefined();
    // An edge that doubles back along its neighbour.
    const folded: LonLat[] = [
      [0, 0],
      [2, 0],
      [1, 0],
      [1, 1],
    ];
    expect(selfIntersection(folded)).toBeDefined();
  });

  it('validates with clear messages', () => {
    expect(validatePolygon([...DIAMOND, DIAMOND[0]!])).toEqual(DIAMOND);
    expect(message(() => validatePolygon(DIAMOND.slice(0, 2)))).toContain('at least 3 corners');
    const many = Array.from({ length: MAX_POLYGON_VERTICES + 1 }, (_, i): LonLat => {
      const t = (2 * Math.PI * i) / (MAX_POLYGON_VERTICES + 1);
      return [Math.cos(t), Math.sin(t)];
    });
    expect(message(() => validatePolygon(many))).toContain(`at most ${MAX_POLYGON_VERTICES} corners`);
    expect(validatePolygon(many.slice(1))).toHaveLength(MAX_POLYGON_VERTICES);
    expect(
      message(() =>
        validatePolygon([
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
        ]),
      ),
    ).toContain('edges 1 and 3 cross');
    expect(
      message(() =>
        validatePolygon([
          [0, 0],
          [1, 89],
          [2, 0],
        ]),
      ),
    ).toContain('latitude');
    expect(
      message(() =>
        validatePolygon([
          [0, 0],
          [Number.NaN, 1],
          [2, 0],
        ]),
      ),
    ).toContain('numbers');
  });
});
