import { describe, expect, it } from 'vitest';
import { LARGE_AREA_PIXELS } from '../../src/lib/state/area.ts';
import { coarserOptions, formatSeconds, largeAreaPixels, planLoad } from '../../src/lib/state/load-plan.ts';

// About 30 x 30 km around Cortina: 9 million pixels at 10 m, too large to load as it is.
const BOX: [number, number, number, number] = [11.95, 46.45, 12.34, 46.72];

describe('planning a load at a coarser resolution', () => {
  it('each coarser resolution has 1/4 of the pixels and memory of the one before', () => {
    const full = planLoad({ box: BOX }, 10, 10);
    expect(full.pixelM).toBe(10);
    expect(full.estimate.pixels).toBeGreaterThan(LARGE_AREA_PIXELS);
    const offers = coarserOptions({ box: BOX }, 10, 10);
    expect(offers.map((o) => o.resolutionM)).toEqual([20, 40, 80, 160]);
    for (const offer of offers) {
      const ratio = (offer.pixelM / 10) ** 2;
      expect(offer.estimate.pixels / full.estimate.pixels).toBeCloseTo(1 / ratio, 5);
      expect(offer.estimate.memoryMb / full.estimate.memoryMb).toBeCloseTo(1 / ratio, 5);
      expect(offer.estimate.seconds / full.estimate.seconds).toBeCloseTo(1 / ratio, 5);
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
