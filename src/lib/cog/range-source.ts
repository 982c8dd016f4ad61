import { AppError } from '../errors.ts';
import { fetchChecked, retryDelayMs, sleep } from '../net/index.ts';
import { type StoredRange, versionOfResponse } from './range-store.ts';
import type { ReadContext } from './read-context.ts';
import { coveringRange, usableRanges } from './stored-ranges.ts';
import { checkTiffStructure } from './tiff-structure.ts';

interface Slice {
  offset: number;
  length: number;
}

interface Waiter extends Slice {
  resolve: (data: ArrayBuffer) => void;
  reject: (error: unknown) => void;
}

interface Chunk {
  offset: number;
  data: Uint8Array;
}

/**
 * A geotiff.js data source over HTTP range requests, built for COGs:
 * - slices asked for in the same turn of the event loop (the tiles of one readRasters call)
 *   are sorted and adjacent ones merged into one request, so a window costs about one
 *   request per tile row and no byte outside its tiles;
 * - the first request takes `headerBytes`, so the IFDs and tile index arrays arrive at once;
 * - fetched bytes are cached (oldest evicted past `cacheBytes`), and kept in the browser's
 *   storage when the context has a tile cache: a later visit reads them from there;
 * - requests go through the context's per-origin limiter and retry policy and are counted;
 * - a server that ignores Range (200) is detected: small files are used whole, large ones
 *   refused; a response shorter than asked for means the file is truncated.
 */
export class RangeSource {
  private chunks: Chunk[] = [];
  private cached = 0;
  private pending: Waiter[] = [];
  private scheduled = false;
  private size: number | null = null;
  private probed = false;
  private stored: Promise<StoredRange[]> | undefined;

  constructor(
    readonly url: string,
    private readonly ctx: ReadContext,
    private readonly what: string = url,
  ) {}

  get fileSize(): number | null {
    return this.size;
  }

  async close(): Promise<void> {
    this.chunks = [];
    this.cached = 0;
  }

  async fetchSlice(slice: Slice): Promise<Slice & { data: ArrayBuffer }> {
    const [data] = await this.fetch([slice]);
    return { ...slice, data: data! };
  }

  fetch(slices: Slice[], _signal?: AbortSignal): Promise<ArrayBuffer[]> {
    return Promise.all(slices.map((slice) => this.fetchOne(slice)));
  }

  private fetchOne(slice: Slice): Promise<ArrayBuffer> {
    if (slice.length > this.ctx.maxRangeBytes) {
      return Promise.reject(
        new AppError(
          'too-large',
          `${this.what} has a tile or strip of ${slice.length.toLocaleString('en')} bytes; the app refuses blocks over ${(this.ctx.maxRangeBytes / 2 ** 20).toFixed(0)} MiB.`,
        ),
      );
    }
    const hit = this.fromCache(slice);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      this.pending.push({ ...slice, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // A macrotask: every tile request of the current readRasters call is queued by then.
        setTimeout(() => this.flush(), 0);
      }
    });
  }

  private fromCache(slice: Slice): ArrayBuffer | undefined {
    const end = slice.offset + slice.length;
    const limit = this.size ?? Number.POSITIVE_INFINITY;
    for (const chunk of this.chunks) {
      const chunkEnd = chunk.offset + chunk.data.length;
      // A chunk that reaches the end of the file also serves reads that run past it
      // (geotiff.js asks for 1 KiB at the IFD offset even near the end of a small file).
      if (
        slice.offset >= chunk.offset &&
        (end <= chunkEnd || (chunkEnd >= limit && slice.offset < chunkEnd))
      ) {
        const start = slice.offset - chunk.offset;
        return chunk.data.slice(start, Math.min(start + slice.length, chunk.data.length)).buffer;
      }
    }
    return undefined;
  }

  private flush(): void {
    this.scheduled = false;
    const waiters = this.pending.sort((a, b) => a.offset - b.offset);
    this.pending = [];
    if (!this.ctx.tiles?.active) this.fetchRuns(waiters);
    else
      void this.fromStorage(waiters).then(
        (rest) => this.fetchRuns(rest),
        (error: unknown) => {
          // Storage must not strand a read: turn the cache off and fetch everything asked for.
          this.ctx.tiles?.fail(error);
          this.fetchRuns(waiters);
        },
      );
  }

  /** Serves the slices the browser's cache holds; resolves to the waiters left for the network. */
  private async fromStorage(waiters: Waiter[]): Promise<Waiter[]> {
    const tiles = this.ctx.tiles!;
    this.stored ??= usableRanges(this.url, this.ctx, this.what);
    const ranges = await this.stored;
    const groups = new Map<StoredRange, Waiter[]>();
    const rest: Waiter[] = [];
    for (const w of waiters) {
      const range = coveringRange(ranges, w.offset, w.length);
      if (range) groups.set(range, [...(groups.get(range) ?? []), w]);
      else rest.push(w);
    }
    // One range after another: the first range's tiles are decoded while the next is read
    // (reading them all at once measured slower on a warm start: bench/README.md).
    for (const [range, group] of groups) {
      const data = await tiles.read(range);
      if (data?.length !== range.length) {
        rest.push(...group);
        continue;
      }
      this.size ??= range.size;
      if (range.offset === 0) this.probed = true;
      this.ctx.stats.cacheBytes += data.length;
      this.store(range.offset, data);
      for (const w of group) {
        const hit = this.fromCache(w);
        if (hit && (hit.byteLength === w.length || w.length <= 4096)) w.resolve(hit);
        else rest.push(w);
      }
    }
    return rest.sort((a, b) => a.offset - b.offset);
  }

  private fetchRuns(waiters: Waiter[]): void {
    const runs: { start: number; end: number; waiters: Waiter[] }[] = [];
    for (const w of waiters) {
      const last = runs[runs.length - 1];
      const end = w.offset + w.length;
      if (last && w.offset <= last.end && end - last.start <= this.ctx.maxRangeBytes) {
        last.end = Math.max(last.end, end);
        last.waiters.push(w);
      } else runs.push({ start: w.offset, end, waiters: [w] });
    }
    for (const run of runs) {
      if (!this.probed && run.start < this.ctx.headerBytes) run.end = Math.max(run.end, this.ctx.headerBytes);
      this.probed = true;
      this.fetchRun(run.start, run.end).then(
        () => {
          for (const w of run.waiters) {
            const data = this.fromCache(w);
            // Short answers are fine for geotiff.js's fixed-size header probes (1 KiB, 4 KiB)
            // past the end of a small file; a short tile means the file is cut off.
            if (data && (data.byteLength === w.length || w.length <= 4096)) w.resolve(data);
            else w.reject(this.truncated(w.offset + w.length));
          }
        },
        (error: unknown) => {
          for (const w of run.waiters) w.reject(error);
        },
      );
    }
  }

  private truncated(needed: number): AppError {
    return new AppError(
      'bad-input',
      `${this.what} is truncated: it ends at byte ${this.size ?? '?'} but its header points at data up to byte ${needed}.`,
    );
  }

  /**
   * One range, with the connection cut mid-body retried like a 503 (fetchChecked retries the
   * statuses and a reset before the headers; a body that breaks off is only seen here).
   */
  private async fetchRun(start: number, end: number): Promise<void> {
    for (let n = 0; ; n++) {
      try {
        return await this.fetchRunOnce(start, end);
      } catch (error) {
        const cut =
          error instanceof AppError && error.code === 'network' && error.message.includes('broke off');
        if (!cut || n >= this.ctx.retry.retries || this.ctx.signal?.aborted) throw error;
        await sleep(retryDelayMs(n, null, this.ctx.retry), this.ctx.signal);
      }
    }
  }

  private async fetchRunOnce(start: number, end: number): Promise<void> {
    const { ctx } = this;
    await ctx.limiter.run(
      this.url,
      async () => {
        ctx.stats.requests++;
        let response: Response;
        try {
          response = await fetchChecked(
            this.url,
            { headers: { Range: `bytes=${start}-${end - 1}` } },
            {
              service: `the server of ${this.what}`,
              signal: ctx.signal,
              timeoutMs: ctx.timeoutMs,
              retry: ctx.retry,
              fetch: ctx.fetch,
            },
          );
        } catch (error) {
          // 416: the range starts past the end of the file.
          if (error instanceof AppError && /HTTP 416/.test(error.message)) throw this.truncated(end);
          throw error;
        }
        if (response.status === 206) {
          const range = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(response.headers.get('Content-Range') ?? '');
          if (!range || Number(range[1]) !== start) {
            await response.body?.cancel().catch(() => undefined);
            throw new AppError(
              'bad-input',
              `The server of ${this.what} answered a range request with the wrong bytes.`,
            );
          }
          if (range[3] !== '*') this.size = Number(range[3]);
          const data = await this.body(response, end - start);
          // The header chunk: refuse corrupt tag counts before geotiff.js allocates them.
          if (start === 0) checkTiffStructure(data, this.size, this.what);
          this.store(start, data);
          this.keep(response, start, data);
          return;
        }
        const length = Number(response.headers.get('Content-Length') ?? Number.NaN);
        if (length > ctx.maxFullFileBytes) {
          await response.body?.cancel().catch(() => undefined);
          throw this.ignoresRange(length);
        }
        const whole = await this.body(response, ctx.maxFullFileBytes);
        this.size = whole.length;
        checkTiffStructure(whole, whole.length, this.what);
        this.store(0, whole);
        this.keep(response, 0, whole);
      },
      ctx.signal,
    );
  }

  /** Hands fetched bytes to the browser's cache, under the version of the file they came from. */
  private keep(response: Response, offset: number, data: Uint8Array): void {
    if (this.size === null || !this.ctx.tiles?.active) return;
    this.ctx.tiles.write(this.url, versionOfResponse(response.headers, this.size), this.size, offset, data);
  }

  private ignoresRange(length: number): AppError {
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    return new AppError(
      'unsupported',
      `The server of ${this.what} ignores HTTP Range requests: it sent the whole file${Number.isFinite(length) ? ` (${mb(length)})` : ''} instead of the few tiles needed. Files over ${mb(this.ctx.maxFullFileBytes)} are refused this way; serve them with a server that supports Range requests (npm run serve:stac does).`,
    );
  }

  /** Reads a body, counting bytes as they arrive and stopping past `limit` (a 200 without length). */
  private async body(response: Response, limit: number): Promise<Uint8Array> {
    const reader = response.body?.getReader();
    if (!reader) return new Uint8Array(0);
    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await this.readWithin(reader);
        if (done) break;
        total += value.length;
        this.ctx.stats.bytes += value.length;
        if (response.status !== 206 && total > limit) {
          await reader.cancel().catch(() => undefined);
          throw this.ignoresRange(Number.NaN);
        }
        parts.push(value);
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (this.ctx.signal?.aborted) throw new AppError('aborted', `Reading ${this.what} was cancelled.`);
      throw new AppError('network', `The download of ${this.what} broke off: the connection was lost.`, {
        cause: error,
      });
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** One body chunk, or a 'timeout' error when the server stalls mid-answer for timeoutMs. */
  private async readWithin(
    reader: ReadableStreamDefaultReader<Uint8Array>,
  ): Promise<ReadableStreamReadResult<Uint8Array>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Reject before cancelling: cancel() ends the pending read as "done", which must not win.
        reject(
          new AppError(
            'timeout',
            `The server of ${this.what} stopped sending data for ${Math.round(this.ctx.timeoutMs / 1000)} s.`,
          ),
        );
        void reader.cancel().catch(() => undefined);
      }, this.ctx.timeoutMs);
    });
    try {
      return await Promise.race([reader.read(), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  private store(offset: number, data: Uint8Array): void {
    this.chunks.push({ offset, data });
    this.cached += data.length;
    // Evict oldest first, but never the header chunk (every later IFD read needs it).
    while (this.cached > this.ctx.cacheBytes && this.chunks.length > 2) {
      const [removed] = this.chunks.splice(1, 1);
      this.cached -= removed?.data.length ?? 0;
    }
  }
}
