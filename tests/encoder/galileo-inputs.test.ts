import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildGalileoPixelOnnx } from '../../models/convert/galileo-graph.ts';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import rawGalileo from '../../models/galileo-nano/manifest.json';
import { galileoInputsFromPresto } from '../../src/lib/encoder/galileo-inputs.ts';
import { GalileoSession } from '../../src/lib/encoder/galileo-session.ts';
import { GALILEO_CHANNELS } from '../../src/lib/encoder/galileo-spec.ts';
import { parseModelManifest } from '../../src/lib/encoder/model-manifest.ts';
import { runnerFor, takesDates } from '../../src/lib/encoder/model-runner.ts';
import { buildPrestoSeriesInputs, PRESTO_S2_CHANNEL } from '../../src/lib/encoder/presto-inputs.ts';
import { SPECTRAL_BANDS, type SpectralBand } from '../../src/lib/encoder/spectral-manifest.ts';
import {
  GALILEO_CHECKPOINT,
  GALILEO_GOLDEN_PIXELS,
  missingGalileo,
  readGalileoGolden,
} from './galileo-fixtures.ts';
import { compare, galileoExpected } from './galileo-golden-cases.ts';

const GOLDEN_BANDS = ['B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B11', 'B12'];

describe('Galileo inputs from the app’s Sentinel-2 layout', () => {
  it('keeps the 13 shared channels, masks S1, and keeps NDVI as 0 where B4 + B8 <= 0 (upstream)', () => {
    const bands: Partial<Record<SpectralBand, Float32Array>> = {};
    for (const band of SPECTRAL_BANDS) bands[band] = Float32Array.of(0.1, 0);
    bands.nir = Float32Array.of(0.3, 0);
    const inputs = galileoInputsFromPresto(
      buildPrestoSeriesInputs(2, new Float32Array(4), [{ bands, month: 3 }]),
    );
    const c = (name: string) => GALILEO_CHANNELS.indexOf(name as (typeof GALILEO_CHANNELS)[number]);
    expect(inputs.x.length).toBe(2 * 13);
    expect([inputs.mask[c('VV')], inputs.mask[c('VH')]]).toEqual([1, 1]);
    expect(inputs.x[c('B8')]).toBeCloseTo(3000, 3);
    expect(inputs.x[c('NDVI')]).toBeCloseTo(0.5, 6);
    // Pixel 2: B4 + B8 = 0; Presto drops its NDVI, Galileo takes 0 as upstream's calculate_ndi does.
    expect(inputs.mask[13 + c('NDVI')]).toBe(0);
    expect(inputs.x[13 + c('NDVI')]).toBe(0);
    expect(inputs.month).toEqual(BigInt64Array.of(3n, 3n));
  });

  it('a manifest with Galileo’s x, mask and month is run as Galileo, with dates', () => {
    const runner = runnerFor(parseModelManifest(rawGalileo));
    expect(runner.kind).toBe('galileo');
    expect(takesDates(runner)).toBe(true);
  });

  it.skipIf(missingGalileo(GALILEO_CHECKPOINT, GALILEO_GOLDEN_PIXELS))(
    'from L2A-style reflectances of 4 dates, the app’s path reproduces the golden per-pixel embeddings',
    async () => {
      const golden = readGalileoGolden(GALILEO_GOLDEN_PIXELS).cases.find((c) => c.name === 'e_T4_p1_pixels');
      if (!golden) throw new Error('no case e');
      const dn = (golden.raw.s2_dn.data as number[][][]).map((px) => px.map((step) => step.slice()));
      const count = dn.length;
      const steps = golden.months.map((month, t) => {
        const bands: Partial<Record<SpectralBand, Float32Array>> = {};
        for (const band of SPECTRAL_BANDS) {
          const i = GOLDEN_BANDS.indexOf(PRESTO_S2_CHANNEL[band]);
          bands[band] = Float32Array.from(dn, (px) => (px[t]?.[i] ?? Number.NaN) / 10000);
        }
        return { bands, month };
      });
      const inputs = galileoInputsFromPresto(
        buildPrestoSeriesInputs(count, new Float32Array(2 * count), steps),
      );
      const weights = readTorchCheckpoint(new Uint8Array(readFileSync(GALILEO_CHECKPOINT)));
      const session = await GalileoSession.create(ort, buildGalileoPixelOnnx(weights, 'fp32'));
      try {
        const { maxDiff } = compare(await session.encode(inputs), galileoExpected(golden));
        expect(maxDiff).toBeLessThan(1e-4);
      } finally {
        await session.release();
      }
    },
  );
});
