import { deserializeError, type SerializedError, serializeError } from './errors.ts';

/**
 * What every worker method returns: errors cross the boundary as plain {name, code, message}
 * data, never as thrown objects whose prototype (and `code`) would be lost.
 */
export type WorkerResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Worker side: runs `fn` and packs its outcome. */
export async function settle<T>(fn: () => Promise<T> | T): Promise<WorkerResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/** Main side: unpacks a result, rethrowing a failure as an AppError with its code. */
export function unwrap<T>(result: WorkerResult<T>): T {
  if (result.ok) return result.value;
  throw deserializeError(result.error);
}
