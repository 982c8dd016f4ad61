import { describe, expect, it } from 'vitest';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { sceneGrid } from '../../src/lib/scene/index.ts';
import { LARGE_AREA_PIXELS } from '../../src/lib/state/area.ts';
import {
  coarserOptions,
  formatSeconds,
  largeAreaPixels,
  loadedPixels,
  planLoad,
} from '../../src/lib/state/load-plan.ts';

// About 30 x 30 km around Cortina: 9 million pixels at 10 m, too large to load as it is.
const BOX: [number, number, number, number] = [11.95, 46.45, 12.34, 46.72];

/** The Dolomites pack's red band: proj:shape [934, 1059], proj:transform of its catalog. */
const DOLOMITES: GridSpec = {
  width: 1059,
  height: 934,
  epsg: 32632,
  transform: { originX: 740350, originY: 5168160, resX: 10, resY: 10 },
};

describe('estimates count the pixels the load will hold (issue 14, item 7)', () => {
  it('a whole pack: its grid, 989,106 px, not its footprint area (985,867)', () => {
    const box: [number, number, number, number] = [12.1347, 46.5361, 12.2777, 46.6239];
    expect(planLoad({ box, areaKm2: 98.59, lattice: DOLOMITES }, 10, 10).estimate.pixels).toBe(989_106);
    // At 20 m the overview of ceil(1059 / 2) x ceil(934 / 2) pixels.
    expect(planLoad({ box, areaKm2: 98.59, lattice: DOLOMITES }, 10, 20).estimate.pixels).toBe(530 * 467);
  });

  it('a drawn box: the pixels of the grid cut from the pack, as the loader cuts it', () => {
    const box: [number, number, number, number] = [12.17, 46.55, 12.21, 46.58];
    const grid = sceneGrid([DOLOMITES], box);
    const estimate = planLoad({ box, lattice: DOLOMITES }, 10, 10).estimate;
    expect(estimate.pixels).toBe(grid.width * grid.height);
    // The box's area in km² undercounts: a WGS84 box is wider in UTM than its own area.
    // Without the pack's grid (a live search), the box on a 10 m lattice of its UTM zone (33 here).
    expect(planLoad({ box }, 10, 10).estimate.pixels / estimate.pixels).toBeCloseTo(1, 1);
    expect(Math.round((estimate.areaKm2 * 1e6) / 100)).toBeLessThan(estimate.pixels);
    expect(loadedPixels(DOLOMITES, 10, [0, 0, 1, 1])).toBeUndefined();
  });
});

describe('planning a load at a coarser resolution', () => {
  it('each coarser resolution has 1/4 of the pixels and memory of the one before', () => {
    const full = planLoad({ box: BOX }, 10, 10);
    expect(full.pixelM).toBe(10);
    expect(full.estimate.pixels).toBeGreaterThan(LARGE_AREA_PIXELS);
    const offers = coarserOptions({ box: BOX }, 10, 10);
    expect(offers.map((o) => o.resolutionM)).toEqual([20, 40, 80, 160]);
    for (const offer of offers) {
      const ratio = (offer.pixelM / 10) ** 2;
      // Pixels are counted on the grid the load cuts (snapped outwards): 1/4 to within its edge.
      expect((ratio * offer.estimate.pixels) / full.estimate.pixels).toBeCloseTo(1, 1);
      expect((ratio * offer.estimate.memoryMb) / full.estimate.memoryMb).toBeCloseTo(1, 1);
      expect((ratio * offer.estimate.seconds) / full.estimate.seconds).toBeCloseTo(1, 1);
      // The size of the area does not change, only its pixels.
      expect(offer.estimate.widthKm).toBe(full.estimate.widthKm);
    }
    expect(offers[1]!.estimate.pixels).toBeLessThan(LARGE_AREA_PIXELS);
    // Once at 40 m, only 80 and 160 m are coarser.
    expect(coarserOptions({ box: BOX }, 10, 40).map((o) => o.resolutionM)).toEqual([80, 160]);
    expect(coarserOptions({ box: BOX }, 10, 160)).toEqual([]);
  });

  it('never offers what would not coarsen the source: 100 m data load at 100 m up to 80 m', () => {
    expect(planLoad({ box: BOX }, 100, 40).pixelM).toBe(100);
    const offers = coarserOptions({ box: BOX }, 100, 10);
    expect(offers.map((o) => [o.resolutionM, o.pixelM])).toEqual([[160, 160]]);
  });

  it('counts a whole pack on its footprint, not its box', () => {
    const box: [number, number, number, number] = [12.1347, 46.5361, 12.2777, 46.6239];
    const onBox = planLoad({ box }, 10, 40).estimate;
    const onFootprint = planLoad({ box, areaKm2: 98.9 }, 10, 40).estimate;
    expect(onFootprint.pixels).toBe(Math.round(98.9e6 / 1600));
    expect(onBox.pixels).toBeGreaterThan(onFootprint.pixels);
  });

  it('warns earlier on a device that reports little memory, never later', () => {
    expect(largeAreaPixels(undefined)).toBe(LARGE_AREA_PIXELS);
    expect(largeAreaPixels(8)).toBe(LARGE_AREA_PIXELS);
    expect(largeAreaPixels(4)).toBe(LARGE_AREA_PIXELS);
    expect(largeAreaPixels(2)).toBe(LARGE_AREA_PIXELS / 2);
    expect(largeAreaPixels(0.5)).toBe(LARGE_AREA_PIXELS / 8);
    expect(largeAreaPixels(0)).toBe(LARGE_AREA_PIXELS);
    expect(largeAreaPixels(Number.NaN)).toBe(LARGE_AREA_PIXELS);
  });

  it('prints times in seconds, and minutes from 90 s', () => {
    expect(formatSeconds(0.2)).toBe('~1 s');
    expect(formatSeconds(42.4)).toBe('~42 s');
    expect(formatSeconds(600)).toBe('~10 min');
  });
});
