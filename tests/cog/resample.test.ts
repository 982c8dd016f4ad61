import { describe, expect, it } from 'vitest';
import { resampleToGrid, type SourceBlock, sampleBlock } from '../../src/lib/cog/resample.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';

/** 2x2 source of 10 m pixels from (0, 20):  10 20 / 30 40. */
function block(values: number[], nodata: number | undefined = undefined): SourceBlock {
  return { values, width: 2, height: 2, transform: { originX: 0, originY: 20, resX: 10, resY: 10 }, nodata };
}

/** The same 20 m x 20 m square as 4x4 pixels of 5 m. */
const target4: GridSpec = {
  width: 4,
  height: 4,
  epsg: 32632,
  transform: { originX: 0, originY: 20, resX: 5, resY: 5 },
};

const same = (actual: Float32Array, expected: number[]) => {
  expect(Array.from(actual)).toEqual(expected);
};

describe('resampleToGrid: 2x2 -> 4x4', () => {
  it('nearest repeats each source pixel 2x2 times', () => {
    // biome-ignore format: one row of the 4x4 grid per line
    same(resampleToGrid(block([10, 20, 30, 40]), target4, 'nearest'), [
      10, 10, 20, 20,
      10, 10, 20, 20,
      30, 30, 40, 40,
      30, 30, 40, 40,
    ]);
  });

  it('bilinear interpolates between pixel centres and clamps at the edges', () => {
    // Target centres fall at source 0.25, 0.75, 1.25, 1.75 (pixel units); source centres at
    // 0.5 and 1.5. Weights towards the second pixel: 0 (clamped), 1/4, 3/4, 1 (clamped).
    // Top row 10..20: 10, 12.5, 17.5, 20; bottom row 30..40: 30, 32.5, 37.5, 40;
    // rows mix them 1:0, 3/4:1/4, 1/4:3/4, 0:1.
    // biome-ignore format: one row of the 4x4 grid per line
    same(resampleToGrid(block([10, 20, 30, 40]), target4, 'bilinear'), [
      10, 12.5, 17.5, 20,
      15, 17.5, 22.5, 25,
      25, 27.5, 32.5, 35,
      30, 32.5, 37.5, 40,
    ]);
  });

  it('is exact on the source grid itself', () => {
    const grid: GridSpec = {
      width: 2,
      height: 2,
      epsg: 32632,
      transform: { originX: 0, originY: 20, resX: 10, resY: 10 },
    };
    same(resampleToGrid(block([10, 20, 30, 40]), grid, 'bilinear'), [10, 20, 30, 40]);
    same(resampleToGrid(block([10, 20, 30, 40]), grid, 'nearest'), [10, 20, 30, 40]);
  });

  it('downsamples by nearest to the pixel under each centre', () => {
    const src: SourceBlock = {
      values: Array.from({ length: 16 }, (_, i) => i),
      width: 4,
      height: 4,
      transform: { originX: 0, originY: 40, resX: 10, resY: 10 },
      nodata: undefined,
    };
    const grid: GridSpec = {
      width: 2,
      height: 2,
      epsg: 32632,
      transform: { originX: 0, originY: 40, resX: 20, resY: 20 },
    };
    // Target centres at source (1, 1), (3, 1), (1, 3), (3, 3).
    same(resampleToGrid(src, grid, 'nearest'), [5, 7, 13, 15]);
  });
});

describe('resampleToGrid: nodata', () => {
  it('nearest turns nodata into NaN', () => {
    // biome-ignore format: one row of the 4x4 grid per line
    same(resampleToGrid(block([10, 0, 30, 40], 0), target4, 'nearest'), [
      10, 10, Number.NaN, Number.NaN,
      10, 10, Number.NaN, Number.NaN,
      30, 30, 40, 40,
      30, 30, 40, 40,
    ]);
  });

  it('bilinear never averages nodata in: samples touching it fall back to the nearest value', () => {
    // Every target pixel of rows 0-2 has the nodata pixel (1, 0) among its four neighbours,
    // so it takes its nearest source value (NaN over the nodata pixel itself). Row 3 only
    // uses the bottom source row and interpolates as usual.
    const out = resampleToGrid(block([10, 0, 30, 40], 0), target4, 'bilinear');
    // biome-ignore format: one row of the 4x4 grid per line
    same(out, [
      10, 10, Number.NaN, Number.NaN,
      10, 10, Number.NaN, Number.NaN,
      30, 30, 40, 40,
      30, 32.5, 37.5, 40,
    ]);
    for (const v of out) {
      if (!Number.isNaN(v)) expect([10, 30, 32.5, 37.5, 40]).toContain(v);
    }
  });

  it('treats NaN in the source as nodata', () => {
    const out = resampleToGrid(block([10, Number.NaN, 30, 40]), target4, 'bilinear');
    expect(Number.isNaN(out[2]!)).toBe(true);
    expect(out[1]).toBe(10);
    expect(out[13]).toBe(32.5);
  });

  it('keeps a value equal to nodata only when nodata is not set', () => {
    same(resampleToGrid(block([0, 0, 0, 0]), target4, 'nearest'), new Array<number>(16).fill(0));
  });
});

describe('resampleToGrid: outside the block', () => {
  it('gives NaN for target pixels whose centre is outside the source', () => {
    // 6x6 pixels of 5 m from (-5, 25): a ring of one pixel around the 4x4 target above.
    const grid: GridSpec = {
      width: 6,
      height: 6,
      epsg: 32632,
      transform: { originX: -5, originY: 25, resX: 5, resY: 5 },
    };
    const inner = [10, 12.5, 17.5, 20, 15, 17.5, 22.5, 25, 25, 27.5, 32.5, 35, 30, 32.5, 37.5, 40];
    const out = resampleToGrid(block([10, 20, 30, 40]), grid, 'bilinear');
    for (let row = 0; row < 6; row++) {
      for (let col = 0; col < 6; col++) {
        const v = out[row * 6 + col]!;
        if (row === 0 || col === 0 || row === 5 || col === 5) expect(v).toBeNaN();
        else expect(v).toBe(inner[(row - 1) * 4 + (col - 1)]);
      }
    }
    const far: GridSpec = {
      width: 3,
      height: 3,
      epsg: 32632,
      transform: { originX: 100, originY: 20, resX: 5, resY: 5 },
    };
    expect(Array.from(resampleToGrid(block([10, 20, 30, 40]), far, 'nearest')).every(Number.isNaN)).toBe(
      true,
    );
  });
});

describe('resampleToGrid: the separable loop equals sampleBlock pixel by pixel', () => {
  /** Seeded LCG: the same cases every run. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it('on 400 random blocks and grids (scales, offsets, nodata, NaN, Infinity, off the block)', () => {
    const next = rng(20261203);
    const scales = [1, 1, 0.5, 2, 1 / 3, 0.37, 1.7];
    let compared = 0;
    for (let c = 0; c < 400; c++) {
      const width = 1 + Math.floor(next() * 9);
      const height = 1 + Math.floor(next() * 9);
      const nodata = next() < 0.7 ? 0 : undefined;
      const values = Array.from({ length: width * height }, () => {
        const r = next();
        if (r < 0.1) return 0;
        if (r < 0.15) return Number.NaN;
        if (r < 0.17) return Number.POSITIVE_INFINITY;
        return 1 + Math.floor(next() * 1000);
      });
      const src: SourceBlock = {
        values: next() < 0.5 ? Uint16Array.from(values.map((v) => (Number.isFinite(v) ? v : 0))) : values,
        width,
        height,
        transform: { originX: 100, originY: 200, resX: 10, resY: 10 },
        nodata,
      };
      const sx = scales[Math.floor(next() * scales.length)]!;
      const sy = next() < 0.8 ? sx : scales[Math.floor(next() * scales.length)]!;
      // Integer offsets (the lattice-aligned copy) half the time, fractional ones otherwise.
      const shift = () => (next() < 0.5 ? Math.floor(next() * 5) - 2 : (next() - 0.5) * 4);
      const target: GridSpec = {
        width: 1 + Math.floor(next() * 12),
        height: 1 + Math.floor(next() * 12),
        epsg: 32632,
        transform: { originX: 100 + shift() * 10, originY: 200 - shift() * 10, resX: 10 * sx, resY: 10 * sy },
      };
      for (const method of ['bilinear', 'nearest'] as const) {
        const got = resampleToGrid(src, target, method);
        const ox = (target.transform.originX - 100) / 10;
        const oy = (200 - target.transform.originY) / 10;
        for (let row = 0; row < target.height; row++) {
          for (let col = 0; col < target.width; col++) {
            const want = Math.fround(sampleBlock(src, ox + (col + 0.5) * sx, oy + (row + 0.5) * sy, method));
            const have = got[row * target.width + col]!;
            if (!Object.is(have, want))
              throw new Error(`case ${c} ${method} (${col}, ${row}): ${have} != ${want}`);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });
});
