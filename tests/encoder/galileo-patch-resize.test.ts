import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { antialiasedBicubicWeights, resizePatchKernels } from '../../models/convert/galileo-patch-resize.ts';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import { GALILEO_GROUPS } from '../../src/lib/encoder/galileo-spec.ts';
import {
  GALILEO_CHECKPOINT,
  GALILEO_GOLDEN_PIXELS,
  missingGalileo,
  readGalileoGolden,
} from './galileo-fixtures.ts';

const skip = missingGalileo(GALILEO_CHECKPOINT, GALILEO_GOLDEN_PIXELS);

interface Stored {
  shape: number[];
  data: unknown;
}
type Resized = Record<string, { aa_bicubic_1d_weights: Stored; weights: Record<string, Stored> }>;
const flat = (s: Stored): number[] => (s.data as unknown[]).flat(8) as number[];

function maxAbsDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < b.length; i++) max = Math.max(max, Math.abs((a[i] ?? Number.NaN) - (b[i] ?? 0)));
  return max;
}

describe('Galileo patch-kernel resize (upstream FlexiPatchEmbed, closed form)', () => {
  it('is the identity at the native 8 x 8 size', () => {
    const a = antialiasedBicubicWeights(8, 8);
    for (let i = 0; i < 8; i++)
      for (let k = 0; k < 8; k++) expect(a[i * 8 + k]).toBeCloseTo(i === k ? 1 : 0, 12);
    const w = Float32Array.from({ length: 2 * 64 }, (_, i) => Math.sin(i));
    expect(resizePatchKernels(w, 2, 8, 8)).toEqual(w);
  });

  describe.skipIf(skip)('against the kernels upstream resized (golden p = 1, 2, 4)', () => {
    const resized = skip ? {} : (readGalileoGolden(GALILEO_GOLDEN_PIXELS).resized_patch_embed as Resized);
    const weights = skip ? new Map() : readTorchCheckpoint(new Uint8Array(readFileSync(GALILEO_CHECKPOINT)));
    for (const p of [1, 2, 4]) {
      it(`p = ${p}: the 1-D antialiased bicubic weights and all 7 groups' kernels`, () => {
        const golden = resized[`p${p}`];
        if (!golden) throw new Error(`golden p${p} missing`);
        expect(maxAbsDiff(antialiasedBicubicWeights(p, 8), flat(golden.aa_bicubic_1d_weights))).toBeLessThan(
          1e-7,
        );
        for (const group of GALILEO_GROUPS) {
          const native = weights.get(`space_time_embed.${group.name}.proj.weight`);
          const expected = golden.weights[group.name];
          if (!native || !expected) throw new Error(`${group.name} missing`);
          const ours = resizePatchKernels(native.data, 128 * group.channels.length, 8, p);
          // Upstream's pinv is float32; ours is float64 (README: agree to ~5e-6).
          expect(maxAbsDiff(ours, flat(expected)), `${group.name} p=${p}`).toBeLessThan(5e-6);
        }
      });
    }
  });
});
