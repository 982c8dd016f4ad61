import { AppError } from '../errors.ts';

export interface FetchOptions {
  signal?: AbortSignal;
  /** Milliseconds before the request counts as timed out. */
  timeoutMs?: number;
  /** Names the service in messages: "Earth Search", "the pack server". */
  service: string;
}

/**
 * fetch() with a timeout and messages a user can act on. A user's abort stays an 'aborted'
 * error; our own timeout becomes 'timeout'; an unreachable host becomes 'network'; an HTTP
 * error status becomes 'http' with the status and the start of the body.
 */
export async function fetchChecked(url: string, init: RequestInit, options: FetchOptions): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    const response = await fetch(url, { ...init, signal });
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 200);
      throw new AppError(
        'http',
        `${options.service} answered HTTP ${response.status} for ${url}${body ? `: ${body}` : ''}`,
      );
    }
    return response;
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (options.signal?.aborted)
      throw new AppError('aborted', `The request to ${options.service} was cancelled.`);
    if (timeout.signal.aborted) {
      throw new AppError(
        'timeout',
        `${options.service} did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s (${url}).`,
      );
    }
    throw new AppError(
      'network',
      `Could not reach ${options.service} (${url}): ${error instanceof Error ? error.message : String(error)}. Check the network connection, or use an offline pack.`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** fetchChecked + JSON parsing with a clear message for a body that is not JSON. */
export async function fetchJson(url: string, init: RequestInit, options: FetchOptions): Promise<unknown> {
  const response = await fetchChecked(url, init, options);
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(
      'bad-input',
      `${options.service} sent a response that is not valid JSON (${url}, ${text.length} bytes).`,
    );
  }
}
