import { check } from '@placemarkio/check-geojson';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { clustersToGeoJson } from '../../src/lib/export/clusters-geojson.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { converter } from '../../src/lib/geo/index.ts';
import { labelMap, signedArea, utmGrid } from './helpers.ts';

function ringsOf(geometry: MultiPolygon) {
  return geometry.coordinates.flatMap((polygon) => polygon.map((ring, i) => ({ ring, outer: i === 0 })));
}

describe('clustersToGeoJson', () => {
  const W = 60;
  const H = 45;
  const k = 5;
  const grid = utmGrid(W, H);
  const labels = labelMap(W, H, k, 7);
  const fc = clustersToGeoJson({ labels, grid, k, names: ['water', 'forest', 'meadow', 'rock', 'town'] });

  it('is valid GeoJSON (schema check) with one feature per present cluster', () => {
    const parsed = check(JSON.stringify(fc));
    expect(parsed.type).toBe('FeatureCollection');
    const present = [...new Set(labels)].filter((l) => l !== 255).sort((a, b) => a - b);
    expect(fc.features.map((f) => f.properties.cluster)).toEqual(present);
    expect(fc.features[1]?.properties).toMatchObject({ cluster: 1, name: 'forest', colour: '#ff7f0e' });
  });

  it('rings are closed; outer rings counter-clockwise, holes clockwise (RFC 7946)', () => {
    let holes = 0;
    for (const feature of fc.features) {
      for (const { ring, outer } of ringsOf(feature.geometry)) {
        expect(ring.length).toBeGreaterThanOrEqual(5);
        expect(ring[ring.length - 1]).toEqual(ring[0]);
        expect(Math.sign(signedArea(ring))).toBe(outer ? 1 : -1);
        if (!outer) holes++;
      }
    }
    expect(holes).toBeGreaterThan(0); // the speckle makes holes; make sure they were tested
  });

  it('areas equal pixel counts x 100 m², and so do the polygons measured back in UTM', () => {
    const toUtm = converter(4326, grid.epsg);
    let total = 0;
    for (const feature of fc.features) {
      const { cluster, pixel_count, area_km2 } = feature.properties;
      const count = labels.filter((l) => l === cluster).length;
      expect(pixel_count).toBe(count);
      expect(area_km2).toBeCloseTo((count * 100) / 1e6, 12);
      // Planar area of the WGS84 polygons projected back: the same within rounding (1e-7°).
      let m2 = 0;
      for (const { ring } of ringsOf(feature.geometry)) {
        m2 += signedArea(ring.map((p) => toUtm([p[0] ?? 0, p[1] ?? 0])));
      }
      expect(Math.abs(m2 - count * 100)).toBeLessThan(count * 0.5);
      total += pixel_count;
    }
    expect(total).toBe(labels.filter((l) => l !== 255).length);
  });

  it('vertices lie on pixel corners of the grid', () => {
    const toUtm = converter(4326, grid.epsg);
    const ring = fc.features[0]?.geometry.coordinates[0]?.[0] ?? [];
    for (const p of ring) {
      const [x, y] = toUtm([p[0] ?? 0, p[1] ?? 0]);
      const col = (x - grid.transform.originX) / 10;
      const row = (grid.transform.originY - y) / 10;
      expect(Math.abs(col - Math.round(col))).toBeLessThan(0.01);
      expect(Math.abs(row - Math.round(row))).toBeLessThan(0.01);
    }
  });

  it('EPSG:4326 grids get ground areas from the sphere', () => {
    const geographic: GridSpec = {
      width: 2,
      height: 1,
      epsg: 4326,
      transform: { originX: 10, originY: 1, resX: 1, resY: 1 },
    };
    const out = clustersToGeoJson({ labels: new Uint8Array([0, 0]), grid: geographic, k: 2 });
    // Two 1° x 1° cells next to the equator: about 2 x 12,364 km².
    expect(out.features[0]?.properties.area_km2).toBeGreaterThan(2 * 12300);
    expect(out.features[0]?.properties.area_km2).toBeLessThan(2 * 12400);
    expect(out.features[0]?.geometry.coordinates).toEqual([
      [
        [
          [10, 1],
          [10, 0],
          [12, 0],
          [12, 1],
          [10, 1],
        ],
      ],
    ]);
  });

  it('refuses labels beyond k, wrong sizes and wrong name counts', () => {
    const small = utmGrid(2, 1);
    const bad = [
      () => clustersToGeoJson({ labels: new Uint8Array([0, 3]), grid: small, k: 3 }),
      () => clustersToGeoJson({ labels: new Uint8Array(3), grid: small, k: 3 }),
      () => clustersToGeoJson({ labels: new Uint8Array(2), grid: small, k: 3, names: ['a'] }),
      () => clustersToGeoJson({ labels: new Uint8Array(2), grid: small, k: 21 }),
    ];
    for (const f of bad) expect(f).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });
});
