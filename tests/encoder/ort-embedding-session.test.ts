import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GalileoSession } from '../../src/lib/encoder/galileo-session.ts';
import { GALILEO_CHANNEL_COUNT } from '../../src/lib/encoder/galileo-spec.ts';
import { PrestoSession } from '../../src/lib/encoder/presto-session.ts';
import { buildSpectralEncoder } from '../../src/lib/encoder/spectral-graph.ts';
import { AppError } from '../../src/lib/errors.ts';

/**
 * Presto and Galileo share one ONNX session wrapper; each family still names itself in its
 * messages, and a graph that is not theirs (no `embedding` output) is refused in words.
 */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const notAModel = new TextEncoder().encode('this is not an ONNX model');

describe('Presto and Galileo sessions (one ORT wrapper)', () => {
  it('bytes that are no model: a model error naming the family', async () => {
    const presto = await failure(PrestoSession.create(ort, notAModel));
    expect(presto.code).toBe('model');
    expect(presto.message).toMatch(/^The Presto model could not be loaded/);
    const galileo = await failure(GalileoSession.create(ort, notAModel));
    expect(galileo.code).toBe('model');
    expect(galileo.message).toMatch(/^The Galileo-nano model could not be loaded/);
  });

  it('wrong-sized inputs are refused before the run, a graph of another kind in words, a released session as such', async () => {
    // A real, valid ONNX graph of another kind: it loads, but feeds do not match it.
    const other = buildSpectralEncoder(['blue', 'green', 'red', 'nir']).bytes;
    const session = await GalileoSession.create(ort, other);
    const bad = await failure(
      session.encode({
        count: 1,
        timesteps: 1,
        x: new Float32Array(3),
        mask: new Float32Array(3),
        month: new BigInt64Array(1),
      }),
    );
    expect(bad.code).toBe('bad-input');
    expect(bad.message).toContain('Galileo inputs for 1 pixels x 1 dates');
    const wrongGraph = await failure(
      session.encode({
        count: 1,
        timesteps: 1,
        x: new Float32Array(GALILEO_CHANNEL_COUNT),
        mask: new Float32Array(GALILEO_CHANNEL_COUNT),
        month: new BigInt64Array(1),
      }),
    );
    expect(wrongGraph.code).toBe('model');
    expect(wrongGraph.message).toMatch(/^The Galileo-nano model failed to run on this input: /);
    await session.release();
    const released = await failure(
      session.encode({
        count: 1,
        timesteps: 1,
        x: new Float32Array(3),
        mask: new Float32Array(3),
        month: new BigInt64Array(1),
      }),
    );
    expect(released.code).toBe('internal');
    expect(released.message).toBe('The Galileo-nano session was released.');
  });
});
