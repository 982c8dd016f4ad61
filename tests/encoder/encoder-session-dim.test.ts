import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { PixelEncoderSession } from '../../src/lib/encoder/encoder-session.ts';
import { buildSpectralEncoder } from '../../src/lib/encoder/spectral-graph.ts';
import { AppError } from '../../src/lib/errors.ts';

/**
 * A manifest whose `dim` or output name does not match its model is refused when the session
 * opens, in the manifest's terms, not after a whole scene as "returned no features of 195 x 999".
 */
const spec = buildSpectralEncoder(['blue', 'green', 'red', 'nir']);
const io = {
  inputName: spec.inputName,
  outputName: spec.outputName,
  bands: spec.inputWidth,
  dim: spec.dim,
};

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('PixelEncoderSession checks the manifest against the model before encoding', () => {
  it('a wrong dim: names the features per pixel the model gives and the dim the manifest says', async () => {
    const e = await failure(
      (async () => {
        const session = await PixelEncoderSession.create(ort, spec.bytes, { ...io, dim: 999 }, {});
        // Without the check the first batch is where it failed: encode 195 pixels.
        await session.encode(new Float32Array(195 * io.bands).fill(0.1), 195);
      })(),
    );
    expect(e.code).toBe('model');
    expect(e.message).toContain(`gives ${spec.dim} features per pixel`);
    expect(e.message).toContain('manifest says dim 999');
  });

  it('a wrong output name: lists the outputs the model has', async () => {
    const e = await failure(
      PixelEncoderSession.create(ort, spec.bytes, { ...io, outputName: 'features' }, {}),
    );
    expect(e.code).toBe('model');
    expect(e.message).toContain(`no output named 'features'`);
    expect(e.message).toContain(`'${spec.outputName}'`);
  });

  it('the right manifest encodes', async () => {
    const session = await PixelEncoderSession.create(ort, spec.bytes, io, {});
    try {
      const out = await session.encode(new Float32Array(3 * io.bands).fill(0.1), 3);
      expect(out.length).toBe(3 * spec.dim);
    } finally {
      await session.release();
    }
  });
});
