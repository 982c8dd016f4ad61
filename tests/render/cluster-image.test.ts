import { describe, expect, it } from 'vitest';
import { CLUSTER_PALETTE, clusterColourCss, labelsToRgba } from '../../src/lib/render/cluster-image.ts';

describe('CLUSTER_PALETTE', () => {
  it('has 20 distinct colours', () => {
    expect(CLUSTER_PALETTE).toHaveLength(20);
    expect(new Set(CLUSTER_PALETTE.map((c) => c.join(','))).size).toBe(20);
    expect(clusterColourCss(0)).toBe('rgb(31, 119, 180)');
    expect(() => clusterColourCss(20)).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });
});

describe('labelsToRgba', () => {
  it('maps label l to palette colour l, and 255 to transparent', () => {
    const rgba = labelsToRgba(new Uint8Array([0, 1, 19, 255]));
    expect(Array.from(rgba.subarray(0, 4))).toEqual([...CLUSTER_PALETTE[0]!, 255]);
    expect(Array.from(rgba.subarray(4, 8))).toEqual([...CLUSTER_PALETTE[1]!, 255]);
    expect(Array.from(rgba.subarray(8, 12))).toEqual([...CLUSTER_PALETTE[19]!, 255]);
    expect(Array.from(rgba.subarray(12, 16))).toEqual([0, 0, 0, 0]);
  });

  it('hides switched-off clusters and honours alpha', () => {
    const rgba = labelsToRgba(new Uint8Array([2, 3, 2, 40]), { hidden: new Set([2]), alpha: 180 });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 0, ...CLUSTER_PALETTE[3]!, 180, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
