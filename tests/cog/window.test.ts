import { describe, expect, it } from 'vitest';
import { chooseLevel, gridForArea, sourceWindow } from '../../src/lib/cog/window.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';

/** A 10 m reference image: 100 x 80 pixels from (700000, 5200000). */
const ref = {
  epsg: 32632,
  width: 100,
  height: 80,
  transform: { originX: 700000, originY: 5200000, resX: 10, resY: 10 },
};

describe('gridForArea', () => {
  it('is the whole image (a copy of its transform) without an area', () => {
    const grid = gridForArea(ref, undefined);
    expect(grid).toEqual({ width: 100, height: 80, epsg: 32632, transform: ref.transform });
    expect(grid.transform).not.toBe(ref.transform);
  });

  it('snaps outwards to the pixels the area touches', () => {
    // x 700015..700051 touches columns 1..5; y 5199975 (row 2.5) .. 5199185 (row 81.5, clipped to 80).
    const grid = gridForArea(ref, [700015, 5199185, 700051, 5199975]);
    expect(grid).toEqual({
      width: 5,
      height: 78,
      epsg: 32632,
      transform: { originX: 700010, originY: 5199980, resX: 10, resY: 10 },
    });
  });

  it('takes an area on pixel edges exactly, without an extra pixel', () => {
    const grid = gridForArea(ref, [700020, 5199700, 700120, 5199950]);
    expect(grid.width).toBe(10);
    expect(grid.height).toBe(25);
    expect(grid.transform.originX).toBe(700020);
    expect(grid.transform.originY).toBe(5199950);
  });

  it('clips to the image on every side', () => {
    const grid = gridForArea(ref, [690000, 5100000, 710000, 5300000]);
    expect(grid).toEqual({ width: 100, height: 80, epsg: 32632, transform: ref.transform });
    const west = gridForArea(ref, [699000, 5199900, 700035, 5210000]);
    expect(west.width).toBe(4);
    expect(west.height).toBe(10);
    expect(west.transform.originX).toBe(700000);
    expect(west.transform.originY).toBe(5200000);
  });

  it('refuses an area that does not overlap the image', () => {
    const outside = [
      [600000, 5100000, 650000, 5150000],
      [701000, 5199000, 702000, 5199500], // east of the image (it ends at x 701000)
      [690000, 5199000, 700000, 5199500], // touches the west edge only
    ] as const;
    for (const area of outside) {
      let caught: unknown;
      try {
        gridForArea(ref, [...area]);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('bad-input');
      expect((caught as AppError).message).toMatch(/does not overlap/);
    }
  });
});

describe('sourceWindow', () => {
  /** 20 m source: 50 x 40 pixels from the same origin. */
  const source20 = {
    width: 50,
    height: 40,
    transform: { originX: 700000, originY: 5200000, resX: 20, resY: 20 },
  };
  /** 10 m target: 5 x 4 pixels starting one 10 m pixel east and two south of the origin. */
  const target: GridSpec = {
    width: 5,
    height: 4,
    epsg: 32632,
    transform: { originX: 700010, originY: 5199980, resX: 10, resY: 10 },
  };

  it('covers a 10 m target with 20 m source pixels (no margin)', () => {
    // Columns: x 700010..700060 = source 0.5..3 -> [0, 3); rows: y 5199980..5199940 = 1..3 -> [1, 3).
    expect(sourceWindow(source20, target, 0)).toEqual([0, 1, 3, 3]);
  });

  it('adds the margin and clips it at the image edges', () => {
    expect(sourceWindow(source20, target, 1)).toEqual([0, 0, 4, 4]);
    expect(sourceWindow(source20, target)).toEqual([0, 0, 4, 4]);
    const inner: GridSpec = {
      ...target,
      transform: { ...target.transform, originX: 700200, originY: 5199800 },
    };
    // x 700200..700250 = 10..12.5, y 5199800..5199760 = 10..12.
    expect(sourceWindow(source20, inner, 0)).toEqual([10, 10, 13, 12]);
    expect(sourceWindow(source20, inner, 2)).toEqual([8, 8, 15, 14]);
    const eastEdge: GridSpec = {
      ...target,
      transform: { ...target.transform, originX: 700970, originY: 5199230 },
    };
    // x 700970..701020 = 48.5..51 -> clipped to 50; y 5199230..5199190 = 38.5..40.5 -> clipped to 40.
    expect(sourceWindow(source20, eastEdge, 1)).toEqual([47, 37, 50, 40]);
  });

  it('is undefined when the target lies outside the source', () => {
    const away: GridSpec = { ...target, transform: { ...target.transform, originX: 702000 } };
    expect(sourceWindow(source20, away, 0)).toBeUndefined();
    const north: GridSpec = { ...target, transform: { ...target.transform, originY: 5200040 } };
    expect(sourceWindow(source20, north, 0)).toBeUndefined();
  });

  it('reads the same pixels for a target on the source grid', () => {
    const same: GridSpec = { width: 50, height: 40, epsg: 32632, transform: source20.transform };
    expect(sourceWindow(source20, same, 0)).toEqual([0, 0, 50, 40]);
    expect(sourceWindow(source20, same, 1)).toEqual([0, 0, 50, 40]);
  });
});

describe('chooseLevel', () => {
  const levels = [10, 20, 40, 80];

  it('takes the coarsest level still at least as fine as the target', () => {
    expect(chooseLevel(levels, 10)).toBe(0);
    expect(chooseLevel(levels, 15)).toBe(0);
    expect(chooseLevel(levels, 20)).toBe(1);
    expect(chooseLevel(levels, 25)).toBe(1);
    expect(chooseLevel(levels, 79)).toBe(2);
    expect(chooseLevel(levels, 80)).toBe(3);
    expect(chooseLevel(levels, 1000)).toBe(3);
  });

  it('falls back to full resolution for finer targets and tolerates rounding', () => {
    expect(chooseLevel(levels, 5)).toBe(0);
    expect(chooseLevel([10, 20.01], 20)).toBe(1);
    expect(chooseLevel([10, 20.1], 20)).toBe(0);
    expect(chooseLevel([10], 100)).toBe(0);
  });
});
