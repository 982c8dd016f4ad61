import { describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/errors.ts';
import { settle, unwrap, type WorkerResult } from '../src/lib/worker-result.ts';

async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('settle / unwrap', () => {
  it('packs and unpacks a value, sync or async', async () => {
    const sync = await settle(() => 42);
    expect(sync).toEqual({ ok: true, value: 42 });
    expect(unwrap(sync)).toBe(42);
    const asyncResult = await settle(async () => ({ width: 3, data: new Float32Array([1, 2]) }));
    expect(asyncResult.ok).toBe(true);
    expect(unwrap(structuredClone(asyncResult)).data).toEqual(new Float32Array([1, 2]));
  });

  it('packs a thrown AppError as plain data and rethrows it with its code', async () => {
    const result = await settle<number>(async () => {
      throw new AppError('not-found', 'No scene here.');
    });
    expect(result).toEqual({
      ok: false,
      error: { name: 'AppError', code: 'not-found', message: 'No scene here.' },
    });
    // Across the worker boundary the result is structured-cloned.
    const crossed: WorkerResult<number> = structuredClone(result);
    const error = await thrown(() => unwrap(crossed));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not-found');
    expect((error as AppError).message).toBe('No scene here.');
  });

  it('packs other failures as internal errors and a DOM abort as aborted', async () => {
    const typeError = await settle(() => {
      throw new TypeError('bad');
    });
    expect(typeError).toEqual({ ok: false, error: { name: 'TypeError', code: 'internal', message: 'bad' } });
    const controller = new AbortController();
    controller.abort();
    const aborted = await settle(() => Promise.reject(controller.signal.reason));
    const error = await thrown(() => unwrap(aborted));
    expect((error as AppError).code).toBe('aborted');
  });
});
