import { describe, expect, it } from 'vitest';
import { MAX_SERIES_STEPS, planSeries } from '../../src/lib/encoder/time-series.ts';
import type { Scene } from '../../src/lib/scene/index.ts';

const GRID = {
  width: 4,
  height: 2,
  epsg: 32632,
  transform: { originX: 300_000, originY: 5_160_000, resX: 10, resY: -10 },
};

function scene(datetime: string, valid: number[], grid = GRID): Scene {
  return {
    id: datetime,
    title: `scene ${datetime}`,
    datetime,
    source: 'files',
    grid,
    bands: ['red'],
    reflectance: [new Float32Array(grid.width * grid.height).fill(0.1)],
    valid: new Uint8Array(valid),
    validFraction: valid.filter(Boolean).length / valid.length,
    maskDescription: 'test',
  };
}

describe('planSeries: the dates the app (yearly mode) and the CLI (multi-date embed) encode', () => {
  it('orders the steps by date, keeps each date its own mask and encodes pixels any date saw', () => {
    const aug = scene('2015-08-20', [1, 0, 0, 0, 1, 1, 1, 1]);
    const jul = scene('2015-07-31', [0, 1, 0, 0, 1, 1, 1, 1]);
    const sep = scene('2015-09-09T10:00:00Z', [0, 0, 0, 0, 1, 1, 1, 1]);
    const plan = planSeries(aug, [aug, sep, jul], 1);
    expect(plan.steps?.map((s) => s.datetime)).toEqual(['2015-07-31', '2015-08-20', '2015-09-09T10:00:00Z']);
    expect(plan.months).toEqual([6, 7, 8]);
    expect(plan.steps?.[0]?.valid).toEqual(jul.valid);
    expect([...plan.target.valid]).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
    expect(plan.target.validFraction).toBe(6 / 8);
  });

  it('one date: no steps, its month; at factor 2 the grid is coarser', () => {
    const plan = planSeries(scene('2015-07-31', [1, 1, 1, 1, 1, 1, 1, 1]), undefined, 2);
    expect(plan.steps).toBeUndefined();
    expect(plan.months).toEqual([6]);
    expect(plan.target.grid.width).toBe(2);
  });

  it('refuses an undated scene (naming where a date comes from), another grid, more than 24 dates', () => {
    expect(() => planSeries(scene('', [1, 1, 1, 1, 1, 1, 1, 1]), undefined, 1)).toThrow(
      /scene {2}carries no date .*the CLI's --date or --dates/,
    );
    const shifted = { ...GRID, transform: { ...GRID.transform, originX: 300_010 } };
    const a = scene('2015-07-31', [1, 1, 1, 1, 1, 1, 1, 1]);
    expect(() => planSeries(a, [a, scene('2015-08-20', [1, 1, 1, 1, 1, 1, 1, 1], shifted)], 1)).toThrow(
      /lies on another grid .*every date must cover the same pixels/,
    );
    const many = Array.from({ length: MAX_SERIES_STEPS + 1 }, (_, i) =>
      scene(`2015-${String((i % 12) + 1).padStart(2, '0')}-01`, [1, 1, 1, 1, 1, 1, 1, 1]),
    );
    expect(() => planSeries(a, many, 1)).toThrow(
      '25 dates were given; the date-aware models take at most 24.',
    );
  });
});
