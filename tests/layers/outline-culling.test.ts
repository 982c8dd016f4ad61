import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FeatureCollection, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import {
  FINE_OUTLINES_MIN_ZOOM,
  featuresIn,
  grownBounds,
  indexFeatures,
  OutlineSelector,
} from '../../src/lib/layers/outline-culling.ts';

const require = createRequire(import.meta.url);
function countries(scale: '110m' | '50m'): FeatureCollection {
  const path = require.resolve(`world-atlas/countries-${scale}.json`);
  const topology = JSON.parse(readFileSync(path, 'utf8')) as Topology<{ countries: GeometryCollection }>;
  return feature(topology, topology.objects.countries);
}

function vertices(c: FeatureCollection): number {
  let n = 0;
  const rings = (p: Position[][]) => {
    for (const r of p) n += r.length;
  };
  for (const f of c.features) {
    if (f.geometry.type === 'Polygon') rings(f.geometry.coordinates);
    if (f.geometry.type === 'MultiPolygon') for (const p of f.geometry.coordinates) rings(p);
  }
  return n;
}

const names = (c: FeatureCollection) => c.features.map((f) => String(f.properties?.name));

// The real Natural Earth outlines the app ships (world-atlas).
const sets = { coarse: countries('110m'), fine: countries('50m') };
// What a 1280 x 800 canvas shows at zoom 9 over the Dolomites demo scene.
const DOLOMITES_VIEW: [number, number, number, number] = [11.27, 46.24, 13.02, 46.84];

describe('country outlines culled to the view (real Natural Earth data)', () => {
  it('zoomed in: the 1:50m outlines of the countries near the view only, a small share of the vertices', () => {
    const chosen = new OutlineSelector(sets).select(DOLOMITES_VIEW, 9);
    expect(names(chosen)).toEqual(expect.arrayContaining(['Italy', 'Austria', 'Slovenia', 'Switzerland']));
    expect(names(chosen)).not.toContain('France');
    expect(names(chosen)).not.toContain('Russia');
    expect(vertices(sets.fine)).toBeGreaterThan(70_000);
    // The outlines drawn on each frame: under a fifth of the world's.
    expect(vertices(chosen)).toBeLessThan(vertices(sets.fine) / 5);
    // The features are the 1:50m ones, untouched.
    // The polygons are the 1:50m ones, untouched: Italy's mainland is its largest.
    const italy = sets.fine.features.find((f) => f.properties?.name === 'Italy')?.geometry;
    if (italy?.type !== 'MultiPolygon') throw new Error('Italy is not a MultiPolygon in world-atlas');
    const mainland = [...italy.coordinates].sort((a, b) => (b[0]?.length ?? 0) - (a[0]?.length ?? 0))[0];
    expect(
      chosen.features.some((f) => f.geometry.type === 'Polygon' && f.geometry.coordinates === mainland),
    ).toBe(true);
  });

  it('keeps the same object while the view stays in the area chosen for, chooses again when it leaves', () => {
    const selector = new OutlineSelector(sets);
    const first = selector.select(DOLOMITES_VIEW, 9);
    // A pan by half a screen and a zoom out by one level stay inside the grown area.
    expect(selector.select([12.1, 46.5, 13.85, 47.1], 9)).toBe(first);
    expect(selector.select([10.4, 45.9, 13.9, 47.1], 8)).toBe(first);
    const morocco = selector.select([-7.8, 33.3, -6.0, 33.9], 9);
    expect(morocco).not.toBe(first);
    expect(names(morocco)).toContain('Morocco');
    expect(names(morocco)).not.toContain('Italy');
  });

  it(`below zoom ${FINE_OUTLINES_MIN_ZOOM}: the whole 1:110m world`, () => {
    const selector = new OutlineSelector(sets);
    expect(selector.select([-180, -85, 180, 85], 1)).toBe(sets.coarse);
    expect(selector.select(DOLOMITES_VIEW, FINE_OUTLINES_MIN_ZOOM - 0.01)).toBe(sets.coarse);
    expect(vertices(sets.coarse)).toBeLessThan(vertices(sets.fine) / 5);
  });

  it('a view across the antimeridian finds the countries on both sides', () => {
    const index = indexFeatures(sets.fine);
    const found = featuresIn(index, [178, -19, 182, -15]).map((i) => index[i]!.feature.properties?.name);
    expect(found).toContain('Fiji');
    const west = featuresIn(index, [-182, 50, -178, 53]).map((i) => index[i]!.feature.properties?.name);
    expect(west).toContain('Russia');
  });

  it('grows the view by its size on each side, within the poles', () => {
    expect(grownBounds([10, 40, 12, 41])).toEqual([8, 39, 14, 42]);
    expect(grownBounds([10, 80, 12, 88])).toEqual([8, 72, 14, 90]);
  });
});
