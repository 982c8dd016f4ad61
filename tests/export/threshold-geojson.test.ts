import { check } from '@placemarkio/check-geojson';
import { describe, expect, it } from 'vitest';
import { thresholdToGeoJson } from '../../src/lib/export/threshold-geojson.ts';
import { random, signedArea, utmGrid } from './helpers.ts';

describe('thresholdToGeoJson', () => {
  const W = 50;
  const H = 40;
  const grid = utmGrid(W, H);
  const rnd = random(5);
  const scores = Float32Array.from(
    { length: W * H },
    (_, p) => Math.sin((p % W) / 6) * Math.cos(p / W / 5) + rnd() * 0.2,
  );
  scores[0] = Number.NaN;

  it('selects score >= threshold (never NaN) as one valid MultiPolygon with its area', () => {
    const result = thresholdToGeoJson({ scores, grid, threshold: 0.5 });
    const expected = scores.filter((s) => s >= 0.5).length;
    expect(expected).toBeGreaterThan(0);
    expect(result.pixelCount).toBe(expected);
    expect(result.areaKm2).toBeCloseTo((expected * 100) / 1e6, 12);
    check(JSON.stringify(result.collection));
    const [feature] = result.collection.features;
    expect(feature?.properties).toEqual({ threshold: 0.5, pixel_count: expected, area_km2: result.areaKm2 });
    for (const polygon of feature?.geometry.coordinates ?? []) {
      polygon.forEach((ring, i) => {
        expect(ring.at(-1)).toEqual(ring[0]);
        expect(Math.sign(signedArea(ring))).toBe(i === 0 ? 1 : -1);
      });
    }
  });

  it('an unmet threshold gives an empty collection and zero area', () => {
    const result = thresholdToGeoJson({ scores, grid, threshold: 5 });
    expect(result).toEqual({
      collection: { type: 'FeatureCollection', features: [] },
      pixelCount: 0,
      areaKm2: 0,
    });
  });

  it('refuses a threshold that is not a number', () => {
    expect(() => thresholdToGeoJson({ scores, grid, threshold: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});
