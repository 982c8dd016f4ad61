import { describe, expect, it } from 'vitest';
import { estimateArea, parseBBox } from '../../src/lib/state/area.ts';

describe('typed areas', () => {
  it('parses W,S,E,N with any separator', () => {
    expect(parseBBox('12.06, 46.5, 12.19, 46.58')).toEqual([12.06, 46.5, 12.19, 46.58]);
    expect(parseBBox('12.06 46.5 12.19 46.58')).toEqual([12.06, 46.5, 12.19, 46.58]);
  });

  it('names each mistake', () => {
    expect(() => parseBBox('1,2,3')).toThrow(/four numbers/);
    expect(() => parseBBox('12.2,46.5,12.1,46.6')).toThrow(/West must be less than east/);
    expect(() => parseBBox('12,47,13,46')).toThrow(/South must be less than north/);
    expect(() => parseBBox('12,46,190,47')).toThrow(/-180\.\.180/);
  });

  it('estimates size, pixels, memory and time', () => {
    // 0.1 degree at the equator: 11.132 km square, 1113.2 x 1113.2 pixels at 10 m.
    const e = estimateArea([0, 0, 0.1, 0.1], { resolutionM: 10, bands: 10, dim: 128, pixelsPerSecond: 1e6 });
    expect(e.widthKm).toBeCloseTo(11.132, 2);
    expect(e.heightKm).toBeCloseTo(11.132, 3);
    expect(e.pixels).toBe(Math.round(1113.2 * 1113.2));
    expect(e.memoryMb).toBeCloseTo((e.pixels * 138 * 4) / 1e6, 6);
    expect(e.seconds).toBeCloseTo(e.pixels / 1e6, 9);
  });
});
