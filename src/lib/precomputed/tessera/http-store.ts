import type { AbsolutePath, AsyncReadable, RangeQuery } from 'zarrita';
import { AppError, throwIfAborted } from '../../errors.ts';
import {
  DEFAULT_RETRY,
  RETRYABLE_STATUS,
  type RetryPolicy,
  readBody,
  readBodyStart,
  retryDelayMs,
  sleep,
} from '../../net/index.ts';
import { checkShardIndex } from './shard-index.ts';

/** What a read fetched, split so the partial-read test can leave the shard indexes out. */
export interface FetchCounts {
  requests: number;
  bytes: number;
  /** Of which shard-index (suffix) reads. */
  indexRequests: number;
  indexBytes: number;
}

export interface HttpStoreOptions {
  /** fetch to use (tests count through it); defaults to globalThis.fetch. */
  fetch?: typeof globalThis.fetch | undefined;
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for headers and for each further piece of a body. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Told after every answer, with the running totals. */
  onFetched?: (counts: FetchCounts) => void;
}

const SERVICE = 'the TESSERA store';
/** Largest metadata document accepted: the real root zarr.json (consolidated, 60 zones) is ~1-2 MB. */
const MAX_METADATA_BYTES = 32 * 2 ** 20;

function join(base: string, key: AbsolutePath): string {
  return `${base.replace(/\/+$/, '')}${key}`;
}

/** `bytes a-b/total` → total, when the server says it. */
function totalFromContentRange(header: string | null): number | undefined {
  const match = header ? /\/(\d+)\s*$/.exec(header) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * A read-only zarrita store over HTTP(S) for the TESSERA Zarr: every request goes through the
 * caller's fetch (counted), with a timeout, retries of 429/502/503/504 and dropped connections,
 * the user's abort, and clear messages. A missing key (404) is `undefined` — Zarr's "not
 * stored", which for a chunk or a shard means "fill value" (nodata here), not an error.
 * Suffix reads are zarrita's shard-index reads: their CRC-32C and offsets are checked here,
 * because zarrita drops the checksum unread and would follow a damaged index anywhere.
 */
export class TesseraHttpStore implements AsyncReadable {
  readonly counts: FetchCounts = { requests: 0, bytes: 0, indexRequests: 0, indexBytes: 0 };
  private readonly fetchFn: typeof globalThis.fetch;
  /** Metadata documents (zarr.json) already fetched: zarrita and the reader ask for some twice. */
  private readonly documents = new Map<string, Promise<Uint8Array | undefined>>();

  constructor(
    readonly baseUrl: string,
    private readonly options: HttpStoreOptions = {},
  ) {
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Serves `key` from `bytes` from now on (a metadata document kept from an earlier read). */
  remember(key: AbsolutePath, bytes: Uint8Array): void {
    this.documents.set(key, Promise.resolve(bytes));
  }

  urlOf(key: AbsolutePath): string {
    return join(this.baseUrl, key);
  }

  get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    const kept = this.documents.get(key);
    if (kept) return kept;
    const fetched = this.request(key, undefined, MAX_METADATA_BYTES).then((answer) => answer?.bytes);
    if (key.endsWith('zarr.json')) {
      this.documents.set(key, fetched);
      fetched.catch(() => this.documents.delete(key));
    }
    return fetched;
  }

  async getRange(
    key: AbsolutePath,
    range: RangeQuery,
    opts?: { signal?: AbortSignal },
  ): Promise<Uint8Array | undefined> {
    if ('suffixLength' in range) {
      const answer = await this.request(
        key,
        `bytes=-${range.suffixLength}`,
        range.suffixLength,
        opts?.signal,
      );
      if (!answer) return undefined;
      this.counts.indexRequests++;
      this.counts.indexBytes += answer.bytes.length;
      const bytes = answer.bytes.subarray(Math.max(0, answer.bytes.length - range.suffixLength));
      checkShardIndex(bytes, answer.total ?? answer.bytes.length, this.urlOf(key));
      return bytes;
    }
    const { offset, length } = range;
    const answer = await this.request(key, `bytes=${offset}-${offset + length - 1}`, length, opts?.signal);
    if (!answer) return undefined;
    // A server that ignores Range sends the whole object (200): take the part asked for.
    const bytes = answer.partial ? answer.bytes : answer.bytes.subarray(offset, offset + length);
    if (bytes.length !== length) {
      throw new AppError(
        'bad-input',
        `The TESSERA chunk at bytes ${offset}-${offset + length - 1} of ${this.urlOf(key)} ends early (${bytes.length} of ${length} bytes): the shard is shorter than its index says.`,
      );
    }
    return bytes;
  }

  private async request(
    key: AbsolutePath,
    range: string | undefined,
    expectedBytes: number,
    signal?: AbortSignal,
  ): Promise<{ bytes: Uint8Array; partial: boolean; total: number | undefined } | undefined> {
    const url = this.urlOf(key);
    const retry = this.options.retry ?? DEFAULT_RETRY;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const userSignal = signal ?? this.options.signal;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(userSignal, 'Reading TESSERA embeddings');
      const canRetry = attempt < retry.retries;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      const combined = userSignal ? AbortSignal.any([userSignal, timeout.signal]) : timeout.signal;
      let response: Response;
      try {
        response = await this.fetchFn(url, { headers: range ? { Range: range } : {}, signal: combined });
      } catch (error) {
        clearTimeout(timer);
        throwIfAborted(userSignal, 'Reading TESSERA embeddings');
        if (timeout.signal.aborted && !canRetry) {
          throw new AppError('timeout', `${SERVICE} did not answer within ${timeoutMs / 1000} s (${url}).`);
        }
        if (canRetry) {
          await sleep(retryDelayMs(attempt, null, retry), userSignal);
          continue;
        }
        throw new AppError(
          'network',
          `Could not reach ${SERVICE} (${url}). Check the network connection and the TESSERA base URL setting.`,
          { cause: error },
        );
      }
      clearTimeout(timer);
      this.counts.requests++;
      if (response.status === 404) {
        await response.body?.cancel().catch(() => undefined);
        this.options.onFetched?.(this.counts);
        return undefined;
      }
      if (response.ok && range && response.status !== 206) {
        // The server ignored Range (a plain file server: `python -m http.server`): fine for a
        // small file, taken whole; a real shard (up to 2 GiB) must not be downloaded whole.
        const declared = Number(response.headers.get('Content-Length') ?? Number.NaN);
        if (!(declared <= MAX_METADATA_BYTES)) {
          await response.body?.cancel().catch(() => undefined);
          throw new AppError(
            'unsupported',
            `The server of ${url} ignores HTTP range requests and would send the whole file${Number.isFinite(declared) ? ` (${(declared / 2 ** 20).toFixed(0)} MiB)` : ''}; TESSERA shards must be read in parts. Serve the mirror with a server that answers Range requests (206).`,
          );
        }
      }
      if (response.ok) {
        try {
          const bytes = await readBody(response, {
            service: SERVICE,
            url,
            // A server that ignores Range may send a whole shard (TESSERA's are up to 2 GiB): refuse.
            maxBytes: Math.max(expectedBytes, response.status === 206 ? expectedBytes : MAX_METADATA_BYTES),
            idleMs: timeoutMs,
            signal: userSignal,
          });
          this.counts.bytes += bytes.length;
          this.options.onFetched?.(this.counts);
          const partial = response.status === 206;
          return { bytes, partial, total: totalFromContentRange(response.headers.get('Content-Range')) };
        } catch (error) {
          if (canRetry && error instanceof AppError && error.code === 'network') {
            await sleep(retryDelayMs(attempt, null, retry), userSignal);
            continue;
          }
          throw error;
        }
      }
      if (canRetry && RETRYABLE_STATUS.includes(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(retryDelayMs(attempt, response.headers.get('Retry-After'), retry), userSignal);
        continue;
      }
      const body = await readBodyStart(response, 200, 5000);
      throw new AppError(
        'http',
        `${SERVICE} answered HTTP ${response.status} for ${url}${body ? `: ${body.trim()}` : ''}`,
      );
    }
  }
}
