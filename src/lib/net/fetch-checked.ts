import { AppError } from '../errors.ts';
import { refusedByContentPolicy, refusedByPolicyMessage } from './content-policy.ts';
import { RETRYABLE_STATUS, type RetryPolicy, retryDelayMs, sleep } from './retry.ts';

export interface FetchOptions {
  signal?: AbortSignal;
  /** Milliseconds before one attempt counts as timed out. */
  timeoutMs?: number;
  /** Names the service in messages: "Earth Search", "the pack server". */
  service: string;
  /** Retry 429/502/503/504 with backoff (see retry.ts); no retries when omitted. */
  retry?: RetryPolicy;
  /** Told before each retry wait, e.g. to show "rate limited, retrying in 2 s". */
  onRetry?: (info: { attempt: number; status: number; delayMs: number }) => void;
}

async function attempt(url: string, init: RequestInit, options: FetchOptions): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    return await fetch(url, { ...init, signal });
  } catch (error) {
    if (options.signal?.aborted)
      throw new AppError('aborted', `The request to ${options.service} was cancelled.`);
    if (timeout.signal.aborted) {
      throw new AppError(
        'timeout',
        `${options.service} did not answer within ${Math.round(timeoutMs / 1000)} s (${url}).`,
      );
    }
    const refused = await refusedByContentPolicy(url);
    if (refused) throw new AppError('network', refusedByPolicyMessage(options.service, refused));
    throw new AppError(
      'network',
      `Could not reach ${options.service} (${url}): ${error instanceof Error ? error.message : String(error)}. Check the network connection, or use an offline pack.`,
    );
  } finally {
    // The timer covers the wait for headers; bodies are read under the caller's signal.
    clearTimeout(timer);
  }
}

/**
 * fetch() with a timeout, retries and messages a user can act on. A user's abort stays an
 * 'aborted' error; our own timeout becomes 'timeout'; an unreachable host becomes 'network';
 * an HTTP error status (after retries, for the retryable ones) becomes 'http' with the status
 * and the start of the body.
 */
export async function fetchChecked(url: string, init: RequestInit, options: FetchOptions): Promise<Response> {
  const retries = options.retry?.retries ?? 0;
  for (let n = 0; ; n++) {
    const response = await attempt(url, init, options);
    if (response.ok) return response;
    if (options.retry && n < retries && RETRYABLE_STATUS.includes(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      const delayMs = retryDelayMs(n, response.headers.get('Retry-After'), options.retry);
      options.onRetry?.({ attempt: n + 1, status: response.status, delayMs });
      await sleep(delayMs, options.signal);
      continue;
    }
    const body = (await response.text().catch(() => '')).slice(0, 200);
    const tried = n > 0 ? ` (after ${n + 1} attempts)` : '';
    throw new AppError(
      'http',
      `${options.service} answered HTTP ${response.status}${tried} for ${url}${body ? `: ${body}` : ''}`,
    );
  }
}

/**
 * fetchChecked + JSON parsing with clear messages for a body that is not JSON: a content
 * type that says HTML or plain text (a captive portal, a proxy error page) is named as such.
 */
export async function fetchJson(url: string, init: RequestInit, options: FetchOptions): Promise<unknown> {
  const response = await fetchChecked(url, init, options);
  const type = response.headers.get('Content-Type') ?? '';
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted)
      throw new AppError('aborted', `The request to ${options.service} was cancelled.`);
    throw new AppError(
      'network',
      `The answer of ${options.service} broke off (${url}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (type && !/json/i.test(type)) {
    throw new AppError(
      'bad-input',
      `${options.service} answered with content type '${type.split(';')[0]}' instead of JSON (${url}); is this the right address?`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(
      'bad-input',
      `${options.service} sent a response that is not valid JSON (${url}, ${text.length} bytes; truncated?).`,
    );
  }
}
