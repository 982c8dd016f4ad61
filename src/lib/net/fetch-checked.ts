import { AppError } from '../errors.ts';
import { refusedByContentPolicy, refusedByPolicyMessage } from './content-policy.ts';
import { readBody, readBodyStart } from './read-body.ts';
import { RETRYABLE_STATUS, type RetryPolicy, retryDelayMs, sleep } from './retry.ts';

/** Told before each retry wait; `status` 0 means the connection was reset (no HTTP status). */
export interface RetryInfo {
  attempt: number;
  status: number;
  delayMs: number;
}

export interface FetchOptions {
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for the headers, and for each further piece of the body. */
  timeoutMs?: number;
  /** Names the service in messages: "Earth Search", "the pack server". */
  service: string;
  /** Retry 429/502/503/504 and reset connections with backoff (see retry.ts); none when omitted. */
  retry?: RetryPolicy | undefined;
  /** Told before each retry wait, e.g. to show "rate limited, retrying in 2 s". */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /** The fetch to call (a test or benchmark counts bytes through it); globalThis.fetch by default. */
  fetch?: typeof globalThis.fetch | undefined;
}

export interface JsonOptions extends FetchOptions {
  /** Largest JSON body accepted (default 32 MiB: a 100-item STAC page is about 1 MB). */
  maxBytes?: number;
}

export const DEFAULT_JSON_MAX_BYTES = 32 * 2 ** 20;

/** Failures of fetch() that a second try cannot fix: nothing listens there, no such host. */
const NOT_WORTH_RETRYING = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ERR_INVALID_URL|ENETUNREACH/;

function causeCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (value: unknown) =>
    typeof value === 'object' && value !== null && 'code' in value ? String(value.code) : '';
  return `${code(error)} ${code(cause)} ${cause instanceof Error ? cause.message : ''}`;
}

/** A network failure of one attempt: 'network', marked retryable unless the host is plainly absent. */
class AttemptFailed extends AppError {
  constructor(
    message: string,
    readonly retryable: boolean,
    cause: unknown,
  ) {
    super('network', message, { cause });
  }
}

async function attempt(url: string, init: RequestInit, options: FetchOptions): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    return await (options.fetch ?? fetch)(url, { ...init, signal });
  } catch (error) {
    if (options.signal?.aborted)
      throw new AppError('aborted', `The request to ${options.service} was cancelled.`);
    if (timeout.signal.aborted) {
      throw new AppError(
        'timeout',
        `${options.service} did not answer within ${Math.round(timeoutMs / 1000)} s (${url}).`,
      );
    }
    // A refusal by the app's own content policy is no network fault: name it, never retry it.
    const refused = await refusedByContentPolicy(url);
    if (refused) throw new AppError('network', refusedByPolicyMessage(options.service, refused));
    throw new AttemptFailed(
      `Could not reach ${options.service} (${url}). Check the network connection, or use an offline pack.`,
      !NOT_WORTH_RETRYING.test(causeCode(error)),
      error,
    );
  } finally {
    // The timer covers the wait for headers; bodies are read under readBody's idle timeout.
    clearTimeout(timer);
  }
}

/**
 * One request with retries, its body read by `read`: 429/502/503/504 and a connection reset
 * before or during the body are retried under options.retry; an HTTP error status becomes
 * 'http' with the status and the start of the body.
 */
async function fetchWith<T>(
  url: string,
  init: RequestInit,
  options: FetchOptions,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const retries = options.retry?.retries ?? 0;
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (let n = 0; ; n++) {
    const canRetry = options.retry !== undefined && n < retries;
    const wait = async (status: number, retryAfter: string | null) => {
      const delayMs = retryDelayMs(n, retryAfter, options.retry!);
      options.onRetry?.({ attempt: n + 1, status, delayMs });
      await sleep(delayMs, options.signal);
    };
    let response: Response;
    try {
      response = await attempt(url, init, options);
    } catch (error) {
      if (canRetry && error instanceof AttemptFailed && error.retryable) {
        await wait(0, null);
        continue;
      }
      throw error;
    }
    if (response.ok) {
      try {
        return await read(response);
      } catch (error) {
        // The connection broke off mid-body: the same as a reset before the headers.
        if (canRetry && error instanceof AppError && error.code === 'network' && !options.signal?.aborted) {
          await wait(0, null);
          continue;
        }
        throw error;
      }
    }
    if (canRetry && RETRYABLE_STATUS.includes(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      await wait(response.status, response.headers.get('Retry-After'));
      continue;
    }
    const body = await readBodyStart(response, 200, Math.min(timeoutMs, 5000));
    const tried = n > 0 ? ` (after ${n + 1} attempts)` : '';
    throw new AppError(
      'http',
      `${options.service} answered HTTP ${response.status}${tried} for ${url}${body ? `: ${body}` : ''}`,
    );
  }
}

/**
 * fetch() with a timeout, retries and messages a user can act on. A user's abort stays an
 * 'aborted' error; our own timeout becomes 'timeout'; an unreachable host becomes 'network';
 * an HTTP error status (after retries, for the retryable ones) becomes 'http' with the status
 * and the start of the body. The caller reads the body (with readBody's limits).
 */
export function fetchChecked(url: string, init: RequestInit, options: FetchOptions): Promise<Response> {
  return fetchWith(url, init, options, async (response) => response);
}

/**
 * fetchChecked + a capped, idle-timed body read + JSON parsing with clear messages for a body
 * that is not JSON: a content type that says HTML or plain text (a captive portal, a proxy
 * error page) is named as such.
 */
export function fetchJson(url: string, init: RequestInit, options: JsonOptions): Promise<unknown> {
  return fetchWith(url, init, options, async (response) => {
    const type = response.headers.get('Content-Type') ?? '';
    if (type && !/json/i.test(type)) {
      await response.body?.cancel().catch(() => undefined);
      throw new AppError(
        'bad-input',
        `${options.service} answered with content type '${type.split(';')[0]}' instead of JSON (${url}); is this the right address?`,
      );
    }
    const bytes = await readBody(response, {
      service: options.service,
      url,
      maxBytes: options.maxBytes ?? DEFAULT_JSON_MAX_BYTES,
      idleMs: options.timeoutMs ?? 30_000,
      signal: options.signal,
    });
    const text = new TextDecoder().decode(bytes);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AppError(
        'bad-input',
        `${options.service} sent a response that is not valid JSON (${url}, ${text.length} bytes; truncated?).`,
      );
    }
  });
}
