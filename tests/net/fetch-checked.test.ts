import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { fetchChecked, fetchJson } from '../../src/lib/net/fetch-checked.ts';

/** One local server with a route per behaviour; /hang never answers. */
let server: Server;
let base = '';
const hanging = new Set<ServerResponse>();
const onHang: ((req: IncomingMessage) => void)[] = [];

function listen(s: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/ok.json':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"answer":42,"list":[1,2]}');
        return;
      case '/broken.json':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"answer": 42,');
        return;
      case '/error':
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('database exploded');
        return;
      case '/missing':
        res.writeHead(404).end();
        return;
      case '/hang':
        hanging.add(res);
        for (const listener of onHang.splice(0)) listener(req);
        return;
      default:
        res.writeHead(400).end();
    }
  });
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('fetchChecked / fetchJson against a local server', () => {
  it('returns the parsed JSON of a good response', async () => {
    expect(await fetchJson(`${base}/ok.json`, {}, { service: 'the test server' })).toEqual({
      answer: 42,
      list: [1, 2],
    });
    const response = await fetchChecked(`${base}/ok.json`, {}, { service: 'the test server' });
    expect(response.status).toBe(200);
  });

  it("connection refused -> 'network'", async () => {
    // A port that was listening a moment ago and is closed now.
    const closed = createServer();
    const port = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/x.json`;
    const error = await failure(fetchJson(url, {}, { service: 'the pack server', timeoutMs: 10_000 }));
    expect(error.code).toBe('network');
    expect(error.message).toContain('Could not reach the pack server');
    expect(error.message).toContain(url);
  });

  it("a server that never answers -> 'timeout'", async () => {
    const error = await failure(fetchJson(`${base}/hang`, {}, { service: 'Earth Search', timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('Earth Search did not answer');
    expect(error.message).toContain(`${base}/hang`);
  });

  it("HTTP 500 -> 'http' with the status and the start of the body", async () => {
    const error = await failure(fetchChecked(`${base}/error`, {}, { service: 'the STAC API' }));
    expect(error.code).toBe('http');
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('database exploded');
    expect(error.message).toContain('the STAC API');
    const notFound = await failure(fetchJson(`${base}/missing`, {}, { service: 'the pack server' }));
    expect(notFound.code).toBe('http');
    expect(notFound.message).toContain('HTTP 404');
  });

  it("a body that is not JSON -> 'bad-input'", async () => {
    const error = await failure(fetchJson(`${base}/broken.json`, {}, { service: 'the pack server' }));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('not valid JSON');
    expect(error.message).toContain('/broken.json');
  });

  it("the user's abort -> 'aborted', before or during the request", async () => {
    const before = new AbortController();
    before.abort();
    const early = await failure(
      fetchJson(`${base}/ok.json`, {}, { service: 'the pack server', signal: before.signal }),
    );
    expect(early.code).toBe('aborted');

    const during = new AbortController();
    // Abort once the server has received the request (it never answers it).
    onHang.push(() => during.abort());
    const late = await failure(
      fetchJson(`${base}/hang`, {}, { service: 'the pack server', signal: during.signal, timeoutMs: 60_000 }),
    );
    expect(late.code).toBe('aborted');
    expect(late.message).toContain('cancelled');
  });
});
