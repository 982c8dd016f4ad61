import { describe, expect, it } from 'vitest';
import { ringArea2 } from '../../src/lib/export/trace-rings.ts';
import { type PixelPolygon, vectoriseLabels, vectoriseMask } from '../../src/lib/export/vectorise.ts';
import { labelMap, random } from './helpers.ts';

/** Labels from text rows: digits are labels, '.' is nodata (255). */
function raster(rows: string[]): { labels: Uint8Array; width: number; height: number } {
  const width = rows[0]?.length ?? 0;
  const labels = new Uint8Array(width * rows.length);
  rows.forEach((row, y) => {
    [...row].forEach((ch, x) => {
      labels[y * width + x] = ch === '.' ? 255 : Number(ch);
    });
  });
  return { labels, width, height: rows.length };
}

const flat = (polygons: PixelPolygon[]): number[][][] => polygons.map((p) => p.map((r) => Array.from(r)));

/** Every ring simple (no corner twice), axis-parallel, no collinear vertex, correctly oriented. */
function checkRings(polygons: PixelPolygon[]): void {
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => {
      expect(Math.sign(ringArea2(ring))).toBe(i === 0 ? -1 : 1);
      const n = ring.length / 2;
      expect(n).toBeGreaterThanOrEqual(4);
      const corners = new Set<string>();
      let edgesOk = true;
      let turnsOk = true;
      for (let v = 0; v < n; v++) {
        const [x0, y0] = [ring[2 * v]!, ring[2 * v + 1]!];
        const [x1, y1] = [ring[(2 * v + 2) % (2 * n)]!, ring[(2 * v + 3) % (2 * n)]!];
        const [x2, y2] = [ring[(2 * v + 4) % (2 * n)]!, ring[(2 * v + 5) % (2 * n)]!];
        corners.add(`${x0},${y0}`);
        edgesOk &&= x0 === x1 || y0 === y1; // along pixel edges only
        turnsOk &&= (x1 - x0) * (y2 - y1) - (y1 - y0) * (x2 - x1) !== 0; // a turn at every vertex
      }
      expect({ edgesOk, turnsOk, distinct: corners.size }).toEqual({
        edgesOk: true,
        turnsOk: true,
        distinct: n,
      });
    });
  }
}

describe('vectoriseLabels', () => {
  it('one pixel is a counter-clockwise unit square (y down: negative pixel-space area)', () => {
    const { labels, width, height } = raster(['.0']);
    expect(vectoriseLabels(labels, width, height).map((l) => [l.label, flat(l.polygons)])).toEqual([
      [0, [[[1, 0, 1, 1, 2, 1, 2, 0]]]],
    ]);
  });

  it('dissolves a label and keeps its hole; the other label fills the hole', () => {
    const { labels, width, height } = raster(['000', '010', '000']);
    const [zero, one] = vectoriseLabels(labels, width, height);
    expect(flat(zero?.polygons ?? [])).toEqual([
      [
        [0, 0, 0, 3, 3, 3, 3, 0],
        [1, 2, 1, 1, 2, 1, 2, 2],
      ],
    ]);
    expect(flat(one?.polygons ?? [])).toEqual([[[1, 1, 1, 2, 2, 2, 2, 1]]]);
  });

  it('pixels touching at a corner are separate patches (4-connectivity), rings stay simple', () => {
    const diagonal = raster(['0.', '.0']);
    expect(vectoriseLabels(diagonal.labels, 2, 2)[0]?.polygons).toHaveLength(2);
    // A ring of 0 closed only through a diagonal touch: one patch, outer ring plus a hole that
    // touches it at one corner (valid OGC), rather than one self-touching ring.
    const c = raster(['00.', '0.0', '000']);
    const polygons = vectoriseLabels(c.labels, 3, 3)[0]?.polygons ?? [];
    expect(polygons).toHaveLength(1);
    expect(polygons[0]).toHaveLength(2);
    checkRings(polygons);
  });

  it('random maps: simple oriented rings whose areas equal the pixel counts', () => {
    const rnd = random(42);
    for (let t = 0; t < 150; t++) {
      const width = 1 + Math.floor(rnd() * 25);
      const height = 1 + Math.floor(rnd() * 25);
      const k = 1 + Math.floor(rnd() * 4);
      const labels = Uint8Array.from({ length: width * height }, () => {
        const v = Math.floor(rnd() * (k + 1));
        return v === k ? 255 : v;
      });
      for (const { label, polygons } of vectoriseLabels(labels, width, height)) {
        checkRings(polygons);
        const area = -polygons.flat().reduce((sum, ring) => sum + ringArea2(ring), 0) / 2;
        expect(area).toBe(labels.filter((v) => v === label).length);
      }
    }
  });

  it('vectoriseMask traces the non-zero pixels', () => {
    const mask = labelMap(40, 30, 2, 3).map((v) => (v === 1 ? 1 : 0));
    const polygons = vectoriseMask(mask, 40, 30);
    checkRings(polygons);
    const area = -polygons.flat().reduce((sum, ring) => sum + ringArea2(ring), 0) / 2;
    expect(area).toBe(mask.filter((v) => v === 1).length);
  });

  it('refuses a raster whose size does not match', () => {
    expect(() => vectoriseLabels(new Uint8Array(5), 2, 3)).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});
