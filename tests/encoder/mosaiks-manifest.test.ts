import { describe, expect, it } from 'vitest';
import rawManifest from '../../models/mosaiks/manifest.json';
import { parseMosaiksManifest } from '../../src/lib/encoder/mosaiks-manifest.ts';
import {
  type MosaiksRequest,
  mosaiksDim,
  mosaiksFeatureNames,
  resolveMosaiksParams,
} from '../../src/lib/encoder/mosaiks-params.ts';
import { AppError } from '../../src/lib/errors.ts';

function refusal(fn: () => unknown, code: string): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError && error.code === code) return error.message;
    throw error;
  }
  return 'no error';
}

const clone = (): typeof rawManifest => structuredClone(rawManifest);

describe('MOSAIKS manifest', () => {
  it('accepts the committed manifest', () => {
    const m = parseMosaiksManifest(rawManifest);
    expect([m.id, m.kind, m.generator]).toEqual(['mosaiks', 'patch', 'mosaiks']);
    expect(m.inputs.image.name).toBe('image');
    expect(m.inputs.filters.name).toBe('filters');
    expect(m.inputs.bias.name).toBe('bias');
    expect(m.output.name).toBe('embedding');
    expect(m.output.resolution_m).toBe(m.parameters.stride.default * 10);
    expect(m.parameters.filters).toMatchObject({ default: 64, min: 1, max: 512 });
    expect(m.licence).toMatch(/^MIT/);
    expect(m.citation).toMatch(/Rolf, E\..*Nature Communications 12, 4392/);
  });

  it('names the bad field', () => {
    const noKind = clone() as Record<string, unknown>;
    noKind.kind = 'pixel';
    expect(refusal(() => parseMosaiksManifest(noKind), 'model')).toMatch(/invalid: kind:/);
    const fractional = clone();
    fractional.parameters.kernel.max = 7.5;
    expect(refusal(() => parseMosaiksManifest(fractional), 'model')).toMatch(/parameters\.kernel\.max:/);
    const upsideDown = clone();
    upsideDown.parameters.stride.min = 40;
    expect(refusal(() => parseMosaiksManifest(upsideDown), 'model')).toMatch(
      /parameters\.stride: min 40 is above max 32/,
    );
    const outside = clone();
    outside.parameters.filters.default = 1024;
    expect(refusal(() => parseMosaiksManifest(outside), 'model')).toMatch(
      /parameters\.filters\.default: 1024 is outside 1\.\.512/,
    );
    const even = clone();
    even.parameters.kernel.default = 4;
    expect(refusal(() => parseMosaiksManifest(even), 'model')).toMatch(
      /kernel\.default: the kernel size must be odd/,
    );
    const band = clone();
    band.bands[0] = 'scl';
    expect(refusal(() => parseMosaiksManifest(band), 'model')).toMatch(/bands\[0\]:/);
    const { citation: _, ...uncited } = clone();
    expect(refusal(() => parseMosaiksManifest(uncited), 'model')).toMatch(/citation:/);
  });
});

describe('MOSAIKS parameters', () => {
  it('fills in the defaults, and a stride alone also sets the pool', () => {
    expect(resolveMosaiksParams()).toEqual({
      filters: 64,
      kernel: 3,
      pool: 4,
      stride: 4,
      seed: 0,
      bias: 1,
      minValidFraction: 0.5,
      whiten: true,
    });
    expect(resolveMosaiksParams({ stride: 8 })).toMatchObject({ pool: 8, stride: 8 });
    expect(resolveMosaiksParams({ stride: 2, pool: 6 })).toMatchObject({ pool: 6, stride: 2 });
    expect(mosaiksDim({ filters: 64 })).toBe(128);
    expect(mosaiksFeatureNames({ filters: 2 })).toEqual([
      'mosaiks_pos_0',
      'mosaiks_pos_1',
      'mosaiks_neg_0',
      'mosaiks_neg_1',
    ]);
  });

  const cases: [MosaiksRequest, RegExp][] = [
    [{ filters: 0 }, /number of filters \(filters\) must be a whole number from 1 to 512; got 0/],
    [{ filters: 513 }, /filters\) must be a whole number from 1 to 512; got 513/],
    [{ filters: 2.5 }, /filters\) must be a whole number from 1 to 512; got 2\.5/],
    [{ kernel: 9 }, /kernel size \(kernel\) must be a whole number from 1 to 7; got 9/],
    [{ kernel: 4 }, /kernel size \(kernel\) must be odd \(1, 3, 5, 7\); got 4/],
    [{ pool: 0 }, /pooling window \(pool\) must be a whole number from 1 to 32; got 0/],
    [
      { pool: 5, stride: 4 },
      /pool\) must differ from the stride by an even number .* got pool 5 with stride 4/,
    ],
    [{ stride: 33 }, /stride \(stride\) must be a whole number from 1 to 32; got 33/],
    [{ stride: Number.NaN }, /stride \(stride\) must be a whole number from 1 to 32; got NaN/],
    [{ seed: -1 }, /seed \(seed\) must be a whole number from 0 to 4294967295; got -1/],
    [{ bias: -0.5 }, /bias \(bias\) must be a number from 0 to 100; got -0.5/],
    [
      { minValidFraction: 0 },
      /minimum valid fraction \(min_valid_fraction\) must be a number from 0.05 to 1; got 0/,
    ],
    [{ minValidFraction: 1.5 }, /min_valid_fraction\) must be a number from 0.05 to 1; got 1.5/],
  ];
  for (const [request, message] of cases) {
    it(`refuses ${JSON.stringify(request)} naming the parameter and its range`, () => {
      expect(refusal(() => resolveMosaiksParams(request), 'bad-input')).toMatch(message);
    });
  }

  it('refuses a whitening switch that is not a boolean', () => {
    const request = JSON.parse('{"whiten": "yes"}') as MosaiksRequest;
    expect(refusal(() => resolveMosaiksParams(request), 'bad-input')).toMatch(
      /whitening switch \(whiten\) must be true or false; got yes/,
    );
  });
});
