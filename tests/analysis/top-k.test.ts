import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/lib/analysis/random.ts';
import { type Place, TIE_EPSILON, topKPlaces } from '../../src/lib/analysis/top-k.ts';

const N = Number.NaN;
// 5 x 4 score map; index = row * 5 + col.
// biome-ignore format: the map reads best laid out as its rows
const MAP = new Float32Array([
  0.1, 0.2, 0.3,  0.2, 0.1,
  0.2, 0.9, 0.95, 0.5, N,
  0.3, 0.4, 0.6,  0.8, 0.85,
  0.9, 0.1, 0.2,  0.3, 0.7,
]);

const indices = (places: Place[]) => places.map((p) => p.index);

/** Reference: full sort (score desc, ties by squared distance then index) + greedy NMS. */
function bruteForce(scores: Float32Array, width: number, k: number, minSep: number, query?: number) {
  const key = (i: number) => {
    if (query === undefined) return i;
    const dc = (i % width) - (query % width);
    const dr = Math.floor(i / width) - Math.floor(query / width);
    return (dc * dc + dr * dr) * scores.length + i;
  };
  const order = [...scores.keys()].filter((i) => !Number.isNaN(scores[i]));
  order.sort((a, b) => {
    const d = scores[b]! - scores[a]!;
    return Math.abs(d) > TIE_EPSILON ? d : key(a) - key(b);
  });
  const out: number[] = [];
  for (const i of order) {
    const far = out.every((j) => {
      const dc = (i % width) - (j % width);
      const dr = Math.floor(i / width) - Math.floor(j / width);
      return dc * dc + dr * dr >= minSep * minSep;
    });
    if (far) out.push(i);
    if (out.length === k) break;
  }
  return out;
}

describe('topKPlaces', () => {
  it('orders by score, with col/row/score filled in, skipping NaN', () => {
    const places = topKPlaces(MAP, 5, 4, { k: 5, minSeparationPx: 0 });
    expect(indices(places)).toEqual([7, 6, 15, 14, 13]);
    expect(places[0]).toEqual({ index: 7, col: 2, row: 1, score: Math.fround(0.95) });
    expect(places[2]).toMatchObject({ col: 0, row: 3 });
    const all = topKPlaces(MAP, 5, 4, { k: 100, minSeparationPx: 0 });
    expect(all).toHaveLength(19);
    expect(all.some((p) => p.index === 9)).toBe(false);
  });

  it('breaks ties by distance to the query pixel, else by index', () => {
    // 6 (col 1, row 1) and 15 (col 0, row 3) both score 0.9; query 16 (col 1, row 3) is nearer 15.
    expect(indices(topKPlaces(MAP, 5, 4, { k: 3, minSeparationPx: 0, queryIndex: 16 }))).toEqual([7, 15, 6]);
    expect(indices(topKPlaces(MAP, 5, 4, { k: 3, minSeparationPx: 0 }))).toEqual([7, 6, 15]);
  });

  it('puts the query pixel first among equal best scores', () => {
    const scores = new Float32Array(12).fill(0.5);
    scores[0] = 1;
    scores[11] = 1;
    scores[5] = 1 - 1e-12; // within the tie epsilon (and equal in float32)
    const places = topKPlaces(scores, 4, 3, { k: 3, minSeparationPx: 0, queryIndex: 11 });
    expect(indices(places)).toEqual([11, 5, 0]);
  });

  it('suppresses places closer than minSeparationPx (Euclidean; exactly the separation is allowed)', () => {
    // 6 is 1 px from 7; 13 is sqrt(2) from 7; 5 is exactly 2 px from 7 and kept.
    expect(indices(topKPlaces(MAP, 5, 4, { k: 4, minSeparationPx: 2 }))).toEqual([7, 15, 14, 5]);
    // Fewer than k survive suppression: all survivors, in order.
    expect(indices(topKPlaces(MAP, 5, 4, { k: 10, minSeparationPx: 2 }))).toEqual([7, 15, 14, 5, 17, 4]);
  });

  it('matches a brute-force reference on a large map, including when the pool must grow', () => {
    const rng = mulberry32(7);
    const width = 300;
    const height = 200;
    const scores = new Float32Array(width * height);
    for (let i = 0; i < scores.length; i++)
      scores[i] = rng() < 0.05 ? Number.NaN : Math.round(rng() * 2000) / 1000 - 1;
    for (const [k, sep] of [
      [10, 0],
      [20, 5],
      [15, 60],
    ] as const) {
      const query = 12345;
      const got = indices(topKPlaces(scores, width, height, { k, minSeparationPx: sep, queryIndex: query }));
      expect(got).toEqual(bruteForce(scores, width, k, sep, query));
    }
  });

  it('returns nothing for an all-NaN map and validates its arguments', () => {
    expect(topKPlaces(new Float32Array([N, N]), 2, 1, { k: 3, minSeparationPx: 0 })).toEqual([]);
    const bad = expect.objectContaining({ code: 'bad-input' });
    expect(() => topKPlaces(MAP, 5, 3, { k: 3, minSeparationPx: 0 })).toThrow(bad);
    expect(() => topKPlaces(MAP, 5, 4, { k: 0, minSeparationPx: 0 })).toThrow(bad);
    expect(() => topKPlaces(MAP, 5, 4, { k: 3, minSeparationPx: -1 })).toThrow(bad);
    expect(() => topKPlaces(MAP, 5, 4, { k: 3, minSeparationPx: 0, queryIndex: 20 })).toThrow(bad);
  });
});
