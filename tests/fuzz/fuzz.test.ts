import { describe, expect, it } from 'vitest';
import { rng } from '../../scripts/fuzz/outcome.ts';
import { runFuzz } from '../../scripts/fuzz/run-fuzz.ts';
import { mutateJson, sampleItem } from '../../scripts/fuzz/stac-sample.ts';
import { AppError } from '../../src/lib/errors.ts';
import { parseItemCollection } from '../../src/lib/stac/index.ts';

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
  const page = {
    type: 'FeatureCollection',
    features: [sampleItem('https://x/B04.tif')],
    links: [{ rel: 'next', href: 'https://x/search', method: 'POST', body: { token: 't' } }],
  };

  it('2400 mutated item collections (and truncated texts): parsed or refused with an AppError', () => {
    const random = rng(99);
    const text = JSON.stringify(page);
    let refused = 0;
    for (let n = 0; n < 2400; n++) {
      let json: unknown = page;
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) json = mutateJson(json, random);
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
