import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, DOLOMITES_DIR } from '../../scripts/pack-demo.ts';
import { loadFileScene } from '../../src/lib/scene/load-files.ts';
import { looksLikeScaledIntegers, valueRange } from '../../src/lib/scene/value-range.ts';

const SRC = path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR);
const hasData = existsSync(SRC);
if (!hasData) console.warn(`value-range tests skipped: real Dolomites data not found at ${SRC}`);

const NAMES = ['b2', 'b3', 'b4', 'b8'].map((b) => `sentinel.dolomites.${b}.tif`);

describe.skipIf(!hasData)('the value range of the real Dolomites files, as the app reads them', () => {
  const files: { name: string; file: Blob }[] = [];
  beforeAll(() => {
    for (const name of NAMES) files.push({ name, file: new Blob([readFileSync(path.join(SRC, name))]) });
  });

  it('read as "Reflectance (0–1)", they clearly hold scaled integers (750–7313 over the four bands)', async () => {
    const scene = await loadFileScene(files, 'reflectance', () => undefined);
    const range = valueRange(scene.reflectance);
    expect(range?.min).toBe(750);
    expect(range?.max).toBe(7313);
    expect(looksLikeScaledIntegers(range)).toBe(true);
  });

  it('read as DN with the +1000 offset, they are plausible reflectance', async () => {
    const scene = await loadFileScene(files, 'offset-1000', () => undefined);
    const range = valueRange(scene.reflectance);
    expect(range!.max).toBeLessThan(1);
    expect(looksLikeScaledIntegers(range)).toBe(false);
  });
});

describe('scaled integers against reflectance', () => {
  it('a few saturated pixels in real reflectance do not count; a dark DN scene does', () => {
    const reflectance = Float32Array.from({ length: 10_000 }, (_, i) => (i % 100) / 200);
    reflectance[0] = 3;
    reflectance[1] = 5;
    expect(looksLikeScaledIntegers(valueRange([reflectance]))).toBe(false);
    const dn = Float32Array.from({ length: 10_000 }, (_, i) => 900 + (i % 500));
    expect(looksLikeScaledIntegers(valueRange([dn]))).toBe(true);
  });

  it('ignores no-data (NaN) and says nothing about a band without values', () => {
    expect(valueRange([new Float32Array([Number.NaN, Number.NaN])])).toBeUndefined();
    expect(looksLikeScaledIntegers(undefined)).toBe(false);
    const range = valueRange([new Float32Array([Number.NaN, 0.25, 0.5])]);
    expect([range?.min, range?.max]).toEqual([0.25, 0.5]);
  });
});
