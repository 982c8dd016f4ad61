import { existsSync } from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, DOLOMITES_DIR, RKH_DIR, readSourceBand } from '../../scripts/pack-demo.ts';
import type { GridSpec } from '../../src/lib/geo/geotransform.ts';
import { type LonLat, ringAreaKm2, validatePolygon } from '../../src/lib/geo/polygon.ts';
import { polygonMask } from '../../src/lib/geo/rasterise.ts';

const dolomitesB04 = path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR, 'sentinel.dolomites.b4.tif');
const rkhB04 = path.join(DEFAULT_DATA_DIR, RKH_DIR, 'B04.tif');
const hasData = existsSync(dolomitesB04) && existsSync(rkhB04);
if (!hasData)
  console.warn(`rasterise tests skipped: real Sentinel-2 data not found under ${DEFAULT_DATA_DIR}`);

/**
 * Independent reference, pixel by pixel: the pixel centre is taken back to WGS84 with proj4
 * (its own UTM definition, not the app's converter), onto the Web Mercator plane where the
 * map draws the polygon's edges straight, and tested with the winding number against the
 * polygon's corners (no densifying). Returns the mask and, per pixel, the ground distance of
 * its centre to the outline in metres.
 */
function referenceMask(grid: GridSpec, ring: readonly LonLat[]): { mask: Uint8Array; edgeM: Float32Array } {
  const zone = grid.epsg % 100;
  const utm = proj4(`+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`, 'EPSG:4326');
  const R = 6378137;
  const merc = ([lon, lat]: LonLat): [number, number] => [
    (R * lon * Math.PI) / 180,
    R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)),
  ];
  const poly = ring.map(merc);
  const mask = new Uint8Array(grid.width * grid.height);
  const edgeM = new Float32Array(grid.width * grid.height);
  const t = grid.transform;
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const lonLat = utm.forward([
        t.originX + (col + 0.5) * t.resX,
        t.originY - (row + 0.5) * t.resY,
      ]) as LonLat;
      const [x, y] = merc(lonLat);
      let winding = 0;
      let nearest = Infinity;
      for (let i = 0; i < poly.length; i++) {
        const [x0, y0] = poly[i]!;
        const [x1, y1] = poly[(i + 1) % poly.length]!;
        const cross = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0);
        if (y0 <= y && y1 > y && cross > 0) winding++;
        else if (y0 > y && y1 <= y && cross < 0) winding--;
        const f = Math.max(
          0,
          Math.min(1, ((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)),
        );
        nearest = Math.min(nearest, Math.hypot(x - (x0 + f * (x1 - x0)), y - (y0 + f * (y1 - y0))));
      }
      mask[row * grid.width + col] = winding !== 0 ? 1 : 0;
      // Mercator stretches ground distances by 1 / cos(latitude).
      edgeM[row * grid.width + col] = nearest * Math.cos((lonLat[1] * Math.PI) / 180);
    }
  }
  return { mask, edgeM };
}

function compare(grid: GridSpec, ring: LonLat[]) {
  const { mask, inside } = polygonMask(grid, ring);
  const ref = referenceMask(grid, ring);
  let refInside = 0;
  let counted = 0;
  let worstDisagreementM = 0;
  for (let i = 0; i < mask.length; i++) {
    refInside += ref.mask[i]!;
    counted += mask[i]!;
    if (mask[i] !== ref.mask[i]) worstDisagreementM = Math.max(worstDisagreementM, ref.edgeM[i]!);
  }
  return { inside, counted, refInside, worstDisagreementM };
}

describe.skipIf(!hasData)('rasterising a polygon on real scene grids', () => {
  it('Dolomites 10 m grid (EPSG:32632): a concave polygon reaching past the east edge', async () => {
    const { grid } = await readSourceBand(dolomitesB04);
    expect(grid.epsg).toBe(32632);
    // Around Cortina: an L-shaped outline whose east arm leaves the scene (east edge ~12.275°E).
    const ring = validatePolygon([
      [12.16, 46.61],
      [12.2, 46.61],
      [12.2, 46.585],
      [12.3, 46.58],
      [12.3, 46.555],
      [12.16, 46.55],
    ]);
    const r = compare(grid, ring);
    expect(r.inside).toBe(r.counted);
    expect(r.refInside).toBeGreaterThan(200_000);
    // The two agree except, at most, on pixels whose centre is within centimetres of the outline.
    expect(Math.abs(r.inside - r.refInside)).toBeLessThanOrEqual(5);
    expect(r.worstDisagreementM).toBeLessThan(0.1);
  });

  it('29RKH 100 m grid (EPSG:32629): a star-shaped polygon; area agrees with the pixel count', async () => {
    const { grid } = await readSourceBand(rkhB04);
    expect(grid.epsg).toBe(32629);
    const [cx, cy] = [-11.45, 24.85];
    const ring = validatePolygon(
      Array.from({ length: 14 }, (_, i): LonLat => {
        const a = (i * Math.PI) / 7;
        const r = i % 2 ? 0.18 : 0.4;
        return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
      }),
    );
    const r = compare(grid, ring);
    expect(Math.abs(r.inside - r.refInside)).toBeLessThanOrEqual(2);
    expect(r.worstDisagreementM).toBeLessThan(0.5);
    // Wholly inside the scene: pixels x 1 ha match the polygon's area (sphere and UTM scale: < 1%).
    const km2 = ringAreaKm2(ring);
    expect(Math.abs((r.inside * 0.01) / km2 - 1)).toBeLessThan(0.01);
  });
});
