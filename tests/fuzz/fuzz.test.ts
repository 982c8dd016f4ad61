import { describe, expect, it } from 'vitest';
import { rng } from '../../scripts/fuzz/outcome.ts';
import { runFuzz } from '../../scripts/fuzz/run-fuzz.ts';
import { AppError } from '../../src/lib/errors.ts';
import { parseItemCollection } from '../../src/lib/stac/parse-items.ts';

/** Every failure must be an AppError with a code other than 'internal'. */
function expectAppError(error: unknown, label: string): void {
  if (!(error instanceof AppError) || error.code === 'internal')
    throw new Error(
      `${label}: escaped the AppError path: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
}

/**
 * A seeded slice of `npm run fuzz` (scripts/fuzz/): mutated TIFF headers read as dropped files,
 * over HTTP ranges and as embeddings, and mutated STAC answers from a real local server. No
 * case may crash, hang or show a raw library message; replay a failure with
 * `npm run fuzz -- --seed 7 --cases 200`.
 */
const SLICE = { seed: 7, cases: 200 };

describe('fuzz slice (npm run fuzz)', () => {
  it(`${SLICE.cases} cases per target, seed ${SLICE.seed}: no crash, hang or raw message`, async () => {
    const summary = await runFuzz({ ...SLICE, caseLimitMs: 20_000 });
    const defects = summary.targets.flatMap((t) =>
      t.examples.map((e) => `${t.target} ${e.kind} case ${e.case}: ${e.message}`),
    );
    expect(defects).toEqual([]);
    expect({ crashes: summary.crashes, hangs: summary.hangs, raw: summary.raw }).toEqual({
      crashes: 0,
      hangs: 0,
      raw: 0,
    });
    // Most mutations must have been refused, not silently read.
    for (const t of summary.targets) expect(t.refused, t.target).toBeGreaterThan(t.cases / 3);
  }, 300_000);
});

describe('fuzz: mutated STAC responses', () => {
  const item = {
    type: 'Feature',
    stac_version: '1.0.0',
    id: 'S2A_32TQS_20220610_0_L2A',
    collection: 'sentinel-2-c1-l2a',
    bbox: [11.9, 46.5, 12.1, 46.7],
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [11.9, 46.5],
          [12.1, 46.5],
          [12.1, 46.7],
          [11.9, 46.7],
          [11.9, 46.5],
        ],
      ],
    },
    properties: {
      datetime: '2022-06-10T10:00:00Z',
      'eo:cloud_cover': 3.2,
      'proj:epsg': 32632,
      's2:processing_baseline': '05.09',
    },
    assets: {
      red: { href: 'https://x/B04.tif', 'raster:bands': [{ scale: 0.0001, offset: -0.1, nodata: 0 }] },
      thumbnail: { href: 'thumb.jpg' },
    },
    links: [],
  };
  const page = {
    type: 'FeatureCollection',
    features: [item],
    links: [{ rel: 'next', href: 'https://x/search', method: 'POST', body: { token: 't' } }],
  };
  const WEIRD: unknown[] = [
    null,
    0,
    -1,
    1e308,
    '',
    'x',
    [],
    {},
    true,
    [1, 2],
    { type: 'Polygon' },
    Number.NaN,
  ];

  /** Replaces, deletes or retypes one random node of the JSON tree. */
  function mutate(value: unknown, random: () => number, depth = 0): unknown {
    if (value === null || typeof value !== 'object')
      return random() < 0.5 ? WEIRD[Math.floor(random() * WEIRD.length)] : value;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
      ? [...value]
      : { ...(value as object) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || (depth > 0 && random() < 0.15))
      return WEIRD[Math.floor(random() * WEIRD.length)];
    const key = keys[Math.floor(random() * keys.length)]!;
    const bag = copy as Record<string, unknown>;
    if (random() < 0.2 && !Array.isArray(copy)) delete bag[key];
    else bag[key] = mutate(bag[key], random, depth + 1);
    return copy;
  }

  it('2400 mutated item collections (and truncated texts): parsed or refused with an AppError', () => {
    const random = rng(99);
    const text = JSON.stringify(page);
    let refused = 0;
    for (let n = 0; n < 2400; n++) {
      let json: unknown = page;
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) json = mutate(json, random);
      try {
        parseItemCollection(json, 'https://x/search', `case ${n}`);
      } catch (error) {
        refused++;
        expectAppError(error, `case ${n}`);
      }
      // Truncated bodies never reach the parser as objects: JSON.parse fails first (fetchJson's path).
      expect(() => JSON.parse(text.slice(0, Math.floor(random() * text.length)))).toThrow();
    }
    expect(refused).toBeGreaterThan(400);
  });
});
