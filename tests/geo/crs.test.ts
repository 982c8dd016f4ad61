import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import {
  converter,
  gridCornersWgs84,
  isSupportedEpsg,
  proj4Definition,
  transformBBox,
  utmEpsgFor,
} from '../../src/lib/geo/crs.ts';
import type { BBox, GridSpec } from '../../src/lib/geo/geotransform.ts';

/**
 * Independent reference: the Krüger n-series for the transverse Mercator projection on the
 * WGS84 ellipsoid (as in Karney 2011 / the UTM formulas on Wikipedia), to third order in n,
 * which is accurate to well under a millimetre inside a UTM zone. Written from the formulas,
 * not from proj4, so it checks the app's proj4 definitions rather than repeating them.
 */
const A_AXIS = 6378137;
const FLATTENING = 1 / 298.257223563;
const K0 = 0.9996;
const N = FLATTENING / (2 - FLATTENING);
const RECT_A = (A_AXIS / (1 + N)) * (1 + N ** 2 / 4 + N ** 4 / 64);
const ALPHA = [
  N / 2 - (2 * N ** 2) / 3 + (5 * N ** 3) / 16,
  (13 * N ** 2) / 48 - (3 * N ** 3) / 5,
  (61 * N ** 3) / 240,
];
const BETA = [N / 2 - (2 * N ** 2) / 3 + (37 * N ** 3) / 96, N ** 2 / 48 + N ** 3 / 15, (17 * N ** 3) / 480];
const DELTA = [
  2 * N - (2 * N ** 2) / 3 - 2 * N ** 3,
  (7 * N ** 2) / 3 - (8 * N ** 3) / 5,
  (56 * N ** 3) / 15,
];
const DEG = Math.PI / 180;

function centralMeridian(zone: number): number {
  return (zone - 1) * 6 - 180 + 3;
}

function utmToLonLat(zone: number, south: boolean, easting: number, northing: number): [number, number] {
  const xi = (northing - (south ? 10_000_000 : 0)) / (K0 * RECT_A);
  const eta = (easting - 500_000) / (K0 * RECT_A);
  let xiP = xi;
  let etaP = eta;
  BETA.forEach((b, i) => {
    const j = 2 * (i + 1);
    xiP -= b * Math.sin(j * xi) * Math.cosh(j * eta);
    etaP -= b * Math.cos(j * xi) * Math.sinh(j * eta);
  });
  const chi = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
  let phi = chi;
  DELTA.forEach((d, i) => {
    phi += d * Math.sin(2 * (i + 1) * chi);
  });
  const lambda = Math.atan2(Math.sinh(etaP), Math.cos(xiP));
  return [centralMeridian(zone) + lambda / DEG, phi / DEG];
}

function lonLatToUtm(zone: number, south: boolean, lon: number, lat: number): [number, number] {
  const phi = lat * DEG;
  const dLambda = (lon - centralMeridian(zone)) * DEG;
  const c = (2 * Math.sqrt(N)) / (1 + N);
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - c * Math.atanh(c * Math.sin(phi)));
  const xiP = Math.atan2(t, Math.cos(dLambda));
  const etaP = Math.atanh(Math.sin(dLambda) / Math.sqrt(1 + t * t));
  let xi = xiP;
  let eta = etaP;
  ALPHA.forEach((a, i) => {
    const j = 2 * (i + 1);
    xi += a * Math.sin(j * xiP) * Math.cosh(j * etaP);
    eta += a * Math.cos(j * xiP) * Math.sinh(j * etaP);
  });
  return [500_000 + K0 * RECT_A * eta, (south ? 10_000_000 : 0) + K0 * RECT_A * xi];
}

describe('proj4Definition', () => {
  it('builds UTM north and south, WGS84 and Web Mercator definitions', () => {
    expect(proj4Definition(32632)).toBe('+proj=utm +zone=32 +datum=WGS84 +units=m +no_defs');
    expect(proj4Definition(32601)).toContain('+zone=1 ');
    expect(proj4Definition(32660)).toContain('+zone=60 ');
    const south = proj4Definition(32733);
    expect(south).toContain('+proj=utm');
    expect(south).toContain('+zone=33');
    expect(south).toContain('+south');
    expect(proj4Definition(32632)).not.toContain('+south');
    expect(proj4Definition(4326)).toContain('+proj=longlat');
    expect(proj4Definition(4326)).toContain('+datum=WGS84');
    expect(proj4Definition(3857)).toContain('+proj=merc');
    expect(proj4Definition(3857)).toContain('+a=6378137 +b=6378137');
  });

  it('refuses other codes with an unsupported AppError naming the EPSG code', () => {
    for (const epsg of [2154, 27700, 32600, 32661, 32700, 32761, 4258]) {
      let caught: unknown;
      try {
        proj4Definition(epsg);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('unsupported');
      expect((caught as AppError).message).toContain(`EPSG:${epsg}`);
      expect(isSupportedEpsg(epsg)).toBe(false);
    }
    expect(isSupportedEpsg(32632)).toBe(true);
    expect(isSupportedEpsg(32760)).toBe(true);
    expect(isSupportedEpsg(4326)).toBe(true);
    expect(isSupportedEpsg(3857)).toBe(true);
  });
});

describe('converter', () => {
  it("puts the Dolomites grid origin (UTM 32N 740350 E, 5168160 N) near Cortina d'Ampezzo", () => {
    const [lon, lat] = converter(32632, 4326)([740350, 5168160]);
    const [refLon, refLat] = utmToLonLat(32, false, 740350, 5168160);
    // Published-style value for this corner: about 12.1396 E, 46.6239 N.
    expect(refLon).toBeCloseTo(12.1396, 3);
    expect(refLat).toBeCloseTo(46.6239, 3);
    expect(Math.abs(lon - refLon)).toBeLessThan(1e-6);
    expect(Math.abs(lat - refLat)).toBeLessThan(1e-6);
  });

  it('agrees with the Krüger series in both directions, north and south, across a zone', () => {
    const cases: [number, boolean, number, number][] = [
      [32, false, 12.1396, 46.6239],
      [32, false, 6.5, 0.5],
      [32, false, 11.9, 70.2],
      [29, false, -11.5, 24.8],
      [56, true, 151.2093, -33.8688],
      [23, true, -46.6333, -23.5505],
    ];
    for (const [zone, south, lon, lat] of cases) {
      const epsg = (south ? 32700 : 32600) + zone;
      const [e, n] = converter(4326, epsg)([lon, lat]);
      const [refE, refN] = lonLatToUtm(zone, south, lon, lat);
      expect(Math.abs(e - refE)).toBeLessThan(0.01);
      expect(Math.abs(n - refN)).toBeLessThan(0.01);
      const [backLon, backLat] = converter(epsg, 4326)([e, n]);
      expect(Math.abs(backLon - lon)).toBeLessThan(1e-9);
      expect(Math.abs(backLat - lat)).toBeLessThan(1e-9);
      const [refLon, refLat] = utmToLonLat(zone, south, e, n);
      expect(Math.abs(refLon - lon)).toBeLessThan(1e-5);
      expect(Math.abs(refLat - lat)).toBeLessThan(1e-5);
    }
  });

  it('converts Web Mercator with the spherical formulas', () => {
    const r = 6378137;
    const [x, y] = converter(4326, 3857)([12.14, 46.54]);
    expect(x).toBeCloseTo(r * 12.14 * DEG, 3);
    expect(y).toBeCloseTo(r * Math.log(Math.tan(Math.PI / 4 + (46.54 * DEG) / 2)), 3);
    const [lon, lat] = converter(3857, 4326)([x, y]);
    expect(lon).toBeCloseTo(12.14, 9);
    expect(lat).toBeCloseTo(46.54, 9);
  });

  it('is the identity for the same code and is cached', () => {
    const same = converter(32632, 32632);
    const p: [number, number] = [740350, 5168160];
    const out = same(p);
    expect(out).toEqual(p);
    expect(out).not.toBe(p);
    expect(converter(32632, 4326)).toBe(converter(32632, 4326));
  });
});

describe('utmEpsgFor', () => {
  it('picks the zone and hemisphere', () => {
    // Cortina d'Ampezzo (12.14 E) lies in zone 33 by the 6-degree rule, though its
    // Sentinel-2 tile (T32TQS) is in the overlap kept in zone 32.
    expect(utmEpsgFor(12.14, 46.54)).toBe(32633);
    expect(utmEpsgFor(11.9, 46.54)).toBe(32632);
    expect(utmEpsgFor(-11.5, 24.8)).toBe(32629);
    expect(utmEpsgFor(151.2, -33.9)).toBe(32756);
    expect(utmEpsgFor(-46.6, -23.5)).toBe(32723);
    // Zone edges: 6 E starts zone 32; the equator counts as north.
    expect(utmEpsgFor(6, 10)).toBe(32632);
    expect(utmEpsgFor(5.999, 10)).toBe(32631);
    expect(utmEpsgFor(0, 0)).toBe(32631);
    expect(utmEpsgFor(-180, -1)).toBe(32701);
    expect(utmEpsgFor(180, 1)).toBe(32660);
  });
});

describe('transformBBox', () => {
  it('contains every transformed corner and the curved edges (UTM -> WGS84)', () => {
    const bbox: BBox = [699960, 5090220, 809760, 5200020];
    const out = transformBBox(bbox, 32632, 4326);
    const toWgs = converter(32632, 4326);
    const corners: [number, number][] = [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[1]],
      [bbox[2], bbox[3]],
      [bbox[0], bbox[3]],
    ];
    for (const corner of corners) {
      const [lon, lat] = toWgs(corner);
      expect(lon).toBeGreaterThanOrEqual(out[0]);
      expect(lat).toBeGreaterThanOrEqual(out[1]);
      expect(lon).toBeLessThanOrEqual(out[2]);
      expect(lat).toBeLessThanOrEqual(out[3]);
    }
    // The extremes are reached at corners or along edges: the box is tight around them.
    const lons = corners.map((c) => toWgs(c)[0]);
    const lats = corners.map((c) => toWgs(c)[1]);
    expect(out[0]).toBeCloseTo(Math.min(...lons), 9);
    expect(out[2]).toBeCloseTo(Math.max(...lons), 9);
    expect(out[1]).toBeCloseTo(Math.min(...lats), 9);
    expect(Math.max(...lats)).toBeLessThanOrEqual(out[3]);
  });

  it('densifies edges: a WGS84 box in UTM includes the bulge of its parallels', () => {
    // Across the central meridian of UTM 32N (9 E), the 46.5 N parallel curves: its
    // northing is lowest at the middle of the edge, not at the corners.
    const area: BBox = [8.0, 46.5, 10.0, 47.0];
    const dense = transformBBox(area, 4326, 32632);
    const sparse = transformBBox(area, 4326, 32632, 1);
    const toUtm = converter(4326, 32632);
    for (let i = 0; i <= 100; i++) {
      const lon = 8 + (2 * i) / 100;
      for (const lat of [46.5, 47.0]) {
        const [e, n] = toUtm([lon, lat]);
        expect(e).toBeGreaterThanOrEqual(dense[0] - 0.5);
        expect(e).toBeLessThanOrEqual(dense[2] + 0.5);
        expect(n).toBeGreaterThanOrEqual(dense[1] - 0.5);
        expect(n).toBeLessThanOrEqual(dense[3] + 0.5);
      }
    }
    expect(dense[1]).toBeLessThan(sparse[1] - 10);
    const [, midNorthing] = toUtm([9, 46.5]);
    expect(dense[1]).toBeLessThanOrEqual(midNorthing + 1e-6);
  });
});

describe('gridCornersWgs84', () => {
  it('returns top-left, top-right, bottom-right, bottom-left (clockwise)', () => {
    const grid: GridSpec = {
      width: 1059,
      height: 934,
      epsg: 32632,
      transform: { originX: 740350, originY: 5168160, resX: 10, resY: 10 },
    };
    const corners = gridCornersWgs84(grid);
    const expected: [number, number][] = [
      [740350, 5168160],
      [750940, 5168160],
      [750940, 5158820],
      [740350, 5158820],
    ];
    corners.forEach(([lon, lat], i) => {
      const [e, n] = expected[i]!;
      const [refLon, refLat] = utmToLonLat(32, false, e, n);
      expect(Math.abs(lon - refLon)).toBeLessThan(1e-5);
      expect(Math.abs(lat - refLat)).toBeLessThan(1e-5);
    });
    const [tl, tr, br, bl] = corners;
    expect(tr[0]).toBeGreaterThan(tl[0]);
    expect(br[1]).toBeLessThan(tr[1]);
    expect(bl[0]).toBeLessThan(br[0]);
    expect(tl[1]).toBeGreaterThan(bl[1]);
  });

  it('is the identity for a WGS84 grid', () => {
    const grid: GridSpec = {
      width: 4,
      height: 2,
      epsg: 4326,
      transform: { originX: 10, originY: 50, resX: 0.5, resY: 0.25 },
    };
    expect(gridCornersWgs84(grid)).toEqual([
      [10, 50],
      [12, 50],
      [12, 49.5],
      [10, 49.5],
    ]);
  });
});
