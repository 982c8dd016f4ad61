import type { AsyncBuffer } from 'hyparquet';
import { AppError } from '../../errors.ts';
import { DEFAULT_RETRY, fetchChecked, readBody } from '../../net/index.ts';

/** Requests and bytes a reader spent, shared by everything one read does. */
export interface FetchCount {
  requests: number;
  bytes: number;
}

export interface RangeBufferOptions {
  /** Names the file in messages ("the AlphaEarth index"). */
  what: string;
  signal?: AbortSignal | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  count: FetchCount;
}

/** Largest single range the index reader asks for (a column chunk of the real index is far smaller). */
const MAX_RANGE_BYTES = 64 * 2 ** 20;
/** The footer read that also tells the file's size: enough for the metadata of the real index. */
export const TAIL_BYTES = 64 * 1024;

interface Chunk {
  offset: number;
  data: Uint8Array;
}

/**
 * A hyparquet AsyncBuffer over HTTP range requests through the project's checked fetch, so a
 * 404, a timeout or a server that ignores Range gets the same clear messages as every other
 * download, and each byte is counted. The first request (`tail`) is a suffix range that
 * returns the footer and, in its Content-Range, the file size.
 */
export class RangeBuffer implements AsyncBuffer {
  private readonly chunks: Chunk[] = [];

  private constructor(
    readonly url: string,
    readonly byteLength: number,
    private readonly options: RangeBufferOptions,
  ) {}

  /** Opens `url`: one suffix request, unless the size is already known (the session cache). */
  static async open(url: string, options: RangeBufferOptions, knownSize?: number): Promise<RangeBuffer> {
    if (knownSize !== undefined) return new RangeBuffer(url, knownSize, options);
    const { data, total, start } = await rangeRequest(url, `bytes=-${TAIL_BYTES}`, options, TAIL_BYTES);
    const buffer = new RangeBuffer(url, total, options);
    buffer.chunks.push({ offset: start, data });
    return buffer;
  }

  async slice(start: number, end?: number): Promise<ArrayBuffer> {
    const stop = Math.min(end ?? this.byteLength, this.byteLength);
    for (const chunk of this.chunks) {
      if (start >= chunk.offset && stop <= chunk.offset + chunk.data.length) {
        return chunk.data.slice(start - chunk.offset, stop - chunk.offset).buffer;
      }
    }
    if (stop <= start) return new ArrayBuffer(0);
    const got = await rangeRequest(this.url, `bytes=${start}-${stop - 1}`, this.options, stop - start);
    const from = start - got.start;
    if (from < 0 || got.data.length < from + (stop - start))
      throw new AppError('bad-input', `${this.options.what} is truncated (${this.url}).`);
    return got.data.slice(from, from + (stop - start)).buffer;
  }
}

async function rangeRequest(
  url: string,
  range: string,
  options: RangeBufferOptions,
  expected: number,
): Promise<{ data: Uint8Array; total: number; start: number }> {
  options.count.requests++;
  let response: Response;
  try {
    response = await fetchChecked(
      url,
      { headers: { Range: range } },
      {
        service: `the server of ${options.what}`,
        signal: options.signal,
        retry: DEFAULT_RETRY,
        fetch: options.fetch,
      },
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'http' && /HTTP 404/.test(error.message))
      throw new AppError(
        'not-found',
        `${options.what} is not there: the server answered 404 for ${url}. Check the base URL.`,
      );
    throw error;
  }
  const limit = response.status === 206 ? Math.min(expected, MAX_RANGE_BYTES) : MAX_RANGE_BYTES;
  const data = await readBody(response, {
    service: `the server of ${options.what}`,
    url,
    maxBytes: limit,
    idleMs: 30_000,
    signal: options.signal,
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'too-large')
      throw new AppError(
        'unsupported',
        `The server of ${options.what} ignores HTTP Range requests and sends the whole file; serve it with a range-capable server.`,
      );
    throw error;
  });
  options.count.bytes += data.length;
  if (response.status !== 206) {
    // A whole small file (a server that ignores Range): usable as it is.
    return { data, total: data.length, start: 0 };
  }
  const match = /bytes (\d+)-(\d+)\/(\d+)/.exec(response.headers.get('Content-Range') ?? '');
  if (!match)
    throw new AppError('bad-input', `The server of ${options.what} sent a range without its size (${url}).`);
  return { data, total: Number(match[3]), start: Number(match[1]) };
}
