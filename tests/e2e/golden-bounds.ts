import { expect } from 'vitest';

/** What a golden run in the browser reports for one graph: its cases and how close each came. */
export interface GoldenOutcome {
  sessionCreateMs: number;
  results: readonly { name: string; maxDiff: number; minCosine: number }[];
}

/** Bounds a graph's cases must keep: max |diff| below, cosine at least, or cosine above. */
export interface GoldenBound {
  maxDiff?: number;
  cosine?: number;
  cosineAbove?: number;
}

/** Asserts a graph ran exactly `cases` and each is within the bounds (Presto and Galileo-nano). */
export function expectWithin(
  label: string,
  outcome: GoldenOutcome | undefined,
  cases: readonly string[],
  bound: GoldenBound,
): void {
  if (!outcome) throw new Error(`${label}: no result`);
  console.info(`${label}: session ${outcome.sessionCreateMs.toFixed(0)} ms`, JSON.stringify(outcome.results));
  expect(outcome.results.map((r) => r.name)).toEqual(cases);
  for (const r of outcome.results) {
    if (bound.maxDiff !== undefined) expect(r.maxDiff, `${label} ${r.name}`).toBeLessThan(bound.maxDiff);
    if (bound.cosine !== undefined)
      expect(r.minCosine, `${label} ${r.name}`).toBeGreaterThanOrEqual(bound.cosine);
    if (bound.cosineAbove !== undefined)
      expect(r.minCosine, `${label} ${r.name}`).toBeGreaterThan(bound.cosineAbove);
  }
}
