import { describe, expect, it } from 'vitest';
import { calibratedPreference } from '../../src/app/calibration.ts';
import type { EncoderClient } from '../../src/lib/clients/index.ts';
import { SPECTRAL_OPTION } from '../../src/lib/encoder/index.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { ThroughputBook } from '../../src/lib/state/index.ts';

/** A client that fails the test if a probe is sent (the calibration must not encode at all). */
const noProbes = new Proxy({} as EncoderClient, {
  get: (_t, name) => () => {
    throw new Error(`a probe was sent (${String(name)})`);
  },
});

const scene = {} as Scene;

describe('calibratedPreference: no probe when the run takes WASM anyway', () => {
  it('keeps the preference, measures nothing and says nothing when the lookup keyed a WASM run', async () => {
    const book = new ThroughputBook(undefined);
    const said: string[] = [];
    const out = await calibratedPreference(
      SPECTRAL_OPTION,
      scene,
      { factor: 1, preference: 'auto' },
      noProbes,
      book,
      (m) => said.push(m),
      new AbortController().signal,
      'wasm',
    );
    expect(out).toEqual({ preference: 'auto' });
    expect(said).toEqual([]);
    expect(book.rate(SPECTRAL_OPTION.id)).toBeUndefined();
  });

  it('probes when the run would take WebGPU (or the backend is unknown): the guard client is called', async () => {
    for (const runsOn of ['webgpu', undefined]) {
      const attempt = calibratedPreference(
        SPECTRAL_OPTION,
        {
          ...scene,
          grid: {
            width: 8,
            height: 8,
            epsg: 32632,
            transform: { originX: 0, originY: 0, resX: 10, resY: 10 },
          },
          reflectance: [],
          valid: new Uint8Array(64).fill(1),
          bands: [],
        } as Scene,
        { factor: 1, preference: 'auto' },
        noProbes,
        new ThroughputBook(undefined),
        () => undefined,
        new AbortController().signal,
        runsOn,
      );
      await expect(attempt).rejects.toThrow(/a probe was sent/);
    }
  });
});
