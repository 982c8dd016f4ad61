import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { retryDelayMs } from '../../src/lib/net/index.ts';
import { loadScene } from '../../src/lib/scene/index.ts';
import { searchItems } from '../../src/lib/stac/search.ts';

const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };
let server: Server;
let base = '';
const hanging: ServerResponse[] = [];
let flaky = 0;
let resets = 0;
let brokenBodies = 0;
/** Bytes the endless route sent before the client stopped reading (its cap, not the server's). */
let endlessSent = 0;
/** The endless route gives up here, so a client without a cap fails by other means, not by OOM. */
const ENDLESS_SERVER_LIMIT = 256 * 2 ** 20;

function feature(id: string, assets: string[]): unknown {
  return {
    type: 'Feature',
    id,
    bbox: [12, 46, 13, 47],
    properties: { datetime: '2022-06-15T10:00:00Z', 'eo:cloud_cover': 3 },
    assets: Object.fromEntries(assets.map((k) => [k, { href: `${base}/cogs/${id}/${k}.tif` }])),
  };
}

const page = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features, links: [] });

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const geo = { 'Content-Type': 'application/geo+json' };
    switch (req.url) {
      case '/flaky/search':
        // Rate limited twice (Retry-After 0 s), then the answer.
        if (flaky++ < 2) res.writeHead(429, { 'Retry-After': '0' }).end('slow down');
        else res.writeHead(200, geo).end(page([feature('a', ['red', 'green', 'blue'])]));
        return;
      case '/busy/search':
        res.writeHead(503).end('maintenance');
        return;
      case '/broken/search':
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('database exploded');
        return;
      case '/truncated/search':
        res.writeHead(200, geo).end(page([feature('a', ['red'])]).slice(0, 40));
        return;
      case '/portal/search':
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Please log in to the Wi-Fi</html>');
        return;
      case '/noblue/search':
        res.writeHead(200, geo).end(page([feature('S2B_X', ['red', 'green', 'nir'])]));
        return;
      case '/badfield/search':
        res.writeHead(200, geo).end(page([{ ...(feature('a', ['red']) as object), bbox: 'everywhere' }]));
        return;
      case '/hang/search':
        hanging.push(res);
        return;
      case '/stall/search':
        // Headers and the start of the body, then silence (the connection stays open).
        hanging.push(res);
        res.writeHead(200, geo);
        res.write('{"type":"FeatureCollection","features":[');
        return;
      case '/endless/search': {
        // A body without end: 64 KiB of JSON-ish padding as fast as the client takes it.
        res.writeHead(200, geo);
        res.write('{"type":"FeatureCollection","features":[], "padding":"');
        const chunk = 'x'.repeat(64 * 1024);
        const pump = () => {
          while (endlessSent < ENDLESS_SERVER_LIMIT) {
            endlessSent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('"}');
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
        return;
      }
      case '/reset/search':
        // The first two connections are reset before any answer, the third answers.
        if (resets++ < 2) req.socket.destroy();
        else res.writeHead(200, geo).end(page([feature('a', ['red'])]));
        return;
      case '/resetbody/search':
        // Headers and half the body, then the connection is cut; the second attempt is whole.
        if (brokenBodies++ < 1) {
          const text = page([feature('a', ['red'])]);
          res.writeHead(200, geo);
          res.write(text.slice(0, 60), () => res.destroy());
        } else res.writeHead(200, geo).end(page([feature('a', ['red'])]));
        return;
      case '/alwaysreset/search':
        req.socket.destroy();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function searchFault(path: string, extra: { timeoutMs?: number } = {}): Promise<AppError> {
  try {
    await searchItems({
      endpoint: `${base}${path}`,
      collection: 'sentinel-2-c1-l2a',
      bbox: [12.1, 46.1, 12.2, 46.2],
      datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
      retry: FAST_RETRY,
      ...extra,
    });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('STAC faults: each ends in a clear AppError, nothing hangs', () => {
  it('429 twice, then success: retried', async () => {
    const retries: number[] = [];
    const items = await searchItems({
      endpoint: `${base}/flaky`,
      collection: 'sentinel-2-c1-l2a',
      bbox: [12.1, 46.1, 12.2, 46.2],
      datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
      retry: FAST_RETRY,
      onRetry: ({ status }) => retries.push(status),
    });
    expect(items.map((i) => i.id)).toEqual(['a']);
    expect(retries).toEqual([429, 429]);
  });

  it('503 on every attempt -> http error after the retries', async () => {
    const e = await searchFault('/busy');
    expect(e.code).toBe('http');
    expect(e.message).toMatch(/HTTP 503 \(after 4 attempts\)/);
  });

  it('500 -> http error with the start of the body, not retried', async () => {
    const e = await searchFault('/broken');
    expect(e.code).toBe('http');
    expect(e.message).toMatch(/HTTP 500 for .*database exploded/);
  });

  it('connection refused -> network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      await searchItems({
        endpoint: `http://127.0.0.1:${port}`,
        collection: 'c',
        bbox: [0, 0, 1, 1],
        datetime: '2022-06-01T00:00:00Z/2022-06-02T00:00:00Z',
        retry: FAST_RETRY,
      });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as AppError).code).toBe('network');
      expect((error as AppError).message).toMatch(/Could not reach the STAC API/);
    }
  });

  it('no answer -> timeout', async () => {
    const e = await searchFault('/hang', { timeoutMs: 200 });
    expect(e.code).toBe('timeout');
  });

  it('headers, then a stalled body -> timeout (idle timeout on the body, not only the headers)', async () => {
    const e = await searchFault('/stall', { timeoutMs: 300 });
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/the STAC API stopped sending its answer for 0 s/);
  });

  it('an endless body -> too-large, reading stops at the cap', async () => {
    endlessSent = 0;
    const e = await searchFault('/endless');
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/the STAC API sent more than 32 MiB/);
    // The client hung up near its cap: the server did not get to send its whole 256 MiB.
    expect(endlessSent).toBeLessThan(ENDLESS_SERVER_LIMIT);
  });

  it('a reset connection is retried like a 503', async () => {
    const retries: number[] = [];
    const items = await searchItems({
      endpoint: `${base}/reset`,
      collection: 'sentinel-2-c1-l2a',
      bbox: [12.1, 46.1, 12.2, 46.2],
      datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
      retry: FAST_RETRY,
      onRetry: ({ status }) => retries.push(status),
    });
    expect(items.map((i) => i.id)).toEqual(['a']);
    expect(retries).toEqual([0, 0]);
  });

  it('a connection cut mid-body is retried too', async () => {
    const retries: number[] = [];
    const items = await searchItems({
      endpoint: `${base}/resetbody`,
      collection: 'sentinel-2-c1-l2a',
      bbox: [12.1, 46.1, 12.2, 46.2],
      datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
      retry: FAST_RETRY,
      onRetry: ({ status }) => retries.push(status),
    });
    expect(items.map((i) => i.id)).toEqual(['a']);
    expect(retries).toEqual([0]);
  });

  it('a connection reset on every attempt -> network error after the retries', async () => {
    const e = await searchFault('/alwaysreset');
    expect(e.code).toBe('network');
    expect(e.message).toMatch(/Could not reach the STAC API/);
  });

  it('truncated JSON -> bad-input', async () => {
    const e = await searchFault('/truncated');
    expect(e.code).toBe('bad-input');
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('HTML instead of JSON (a captive portal) -> bad-input naming the content type', async () => {
    const e = await searchFault('/portal');
    expect(e.code).toBe('bad-input');
    expect(e.message).toMatch(/content type 'text\/html'/);
  });

  it('a bad field -> bad-input naming the field', async () => {
    const e = await searchFault('/badfield');
    expect(e.code).toBe('bad-input');
    expect(e.message).toMatch(/features\[0\]\.bbox/);
  });

  it('an item missing the requested band -> bad-input naming the band and the item', async () => {
    try {
      await loadScene(
        {
          kind: 'stac',
          endpoint: `${base}/noblue`,
          collection: 'sentinel-2-c1-l2a',
          area: [12.1, 46.1, 12.2, 46.2],
          datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
          maxCloudCover: 50,
        },
        () => undefined,
      );
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as AppError).code).toBe('bad-input');
      expect((error as AppError).message).toMatch(/missing: blue in S2B_X/);
    }
  });
});

describe('retryDelayMs', () => {
  const policy = { retries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };
  it('honours Retry-After in seconds and as an HTTP date, capped', () => {
    expect(retryDelayMs(0, '2', policy)).toBe(2000);
    expect(retryDelayMs(0, '3600', policy)).toBe(10_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(0, 'Thu, 01 Jan 2026 00:00:03 GMT', policy, Math.random, now)).toBe(3000);
  });
  it('backs off exponentially with full jitter otherwise', () => {
    expect(retryDelayMs(0, null, policy, () => 0.999)).toBe(499);
    expect(retryDelayMs(3, null, policy, () => 0.5)).toBe(2000);
    expect(retryDelayMs(10, null, policy, () => 0.999)).toBe(9990);
    expect(retryDelayMs(2, null, policy, () => 0)).toBe(0);
  });
});
