import { describe, expect, it } from 'vitest';
import { DEFAULT_STAC_IDLE_MS, STAC_IDLE_KEY, stacIdleMs } from '../../src/lib/stac/stac-settings.ts';

/** A localStorage stand-in holding one value (Node has no localStorage). */
function storing(value: string | null): Pick<Storage, 'getItem'> {
  return { getItem: (key) => (key === STAC_IDLE_KEY ? value : null) };
}

describe('the STAC search idle timeout setting', () => {
  it('is 30 s for users who set nothing', () => {
    expect(DEFAULT_STAC_IDLE_MS).toBe(30_000);
    expect(stacIdleMs(undefined)).toBe(30_000);
    expect(stacIdleMs(storing(null))).toBe(30_000);
  });

  it('takes a whole number of seconds from 1 to 600', () => {
    expect(stacIdleMs(storing('2'))).toBe(2000);
    expect(stacIdleMs(storing(' 600 '))).toBe(600_000);
  });

  it('keeps 30 s for anything else', () => {
    for (const bad of ['', '0', '601', '-5', '1.5', '2s', 'abc'])
      expect(stacIdleMs(storing(bad))).toBe(30_000);
  });
});
