import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticPack } from '../../scripts/synthetic-pack.ts';
import { startStacServer } from '../../server/stac-api.ts';
import { fixtureItems } from '../scene/synthetic-fixtures.ts';
import { closeServer, rawHttp } from './raw-http.ts';

/**
 * Issue 18 "Hardening", servers 4-5, on `serve:stac`: what any client on a classroom network
 * can send it, over real sockets (raw `net` sockets where HTTP clients refuse to send it).
 */

let dir = '';
let stac: { server: Server; url: string };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stac-hardening-'));
  await buildSyntheticPack(path.join(dir, 'synthetic'), fixtureItems());
  stac = await startStacServer({ packsDir: dir, limits: { headersMs: 1_000, idleMs: 2_000 } });
});

afterAll(async () => {
  if (stac) await closeServer(stac.server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Sends `text` on a fresh socket and resolves with all the server wrote before closing. */
function rawSocket(text: string): Promise<string> {
  const { hostname, port } = new URL(stac.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

describe('4. links come from the configured address, not from the Host header', () => {
  it('a foreign Host is not copied into asset hrefs or links', async () => {
    const res = await rawHttp(stac.url, '/search?limit=1', { Host: 'evil.example:666' });
    expect(res.status).toBe(200);
    const text = res.body.toString();
    expect(text).not.toContain('evil.example');
    const json = JSON.parse(text) as { features: { assets: Record<string, { href: string }> }[] };
    const href = Object.values(json.features[0]!.assets)[0]!.href;
    expect(href.startsWith(`${stac.url}/packs/`)).toBe(true);
  });

  it('a Host naming this server (localhost) is kept, so the link works for whoever asked', async () => {
    const port = new URL(stac.url).port;
    const res = await rawHttp(stac.url, '/', { Host: `localhost:${port}` });
    expect(res.body.toString()).toContain(`http://localhost:${port}/search`);
  });

  it('the landing page does not show the absolute packs path', async () => {
    const res = await rawHttp(stac.url, '/');
    expect(res.status).toBe(200);
    expect(res.body.toString()).not.toContain(dir);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('5. malformed requests get a 4xx, never a 500', () => {
  it('bad %-encoding is a 400', async () => {
    for (const target of ['/collections/%E0%A4%A/items/x', '/packs/%E0%A4%A/catalog.json']) {
      const res = await rawHttp(stac.url, target);
      expect(res.status, target).toBe(400);
    }
  });

  it('a bad Host header is a 400', async () => {
    for (const host of ['[', 'a b', 'x:y:z']) {
      const answer = await rawSocket(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(statusOf(answer), host).toBe(400);
    }
  });

  it('a 100 000-deep intersects is a 400 naming the field', async () => {
    const deep = `${'['.repeat(100_000)}0${']'.repeat(100_000)}`;
    const body = `{"intersects":{"type":"Polygon","coordinates":${deep}}}`;
    const res = await rawHttp(stac.url, '/search', { 'Content-Type': 'application/json' }, 'POST', body);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('intersects');
  });

  it('a 10 MB POST is a 413 the client receives (no reset mid-upload)', async () => {
    const body = Buffer.alloc(10_000_000, 0x20);
    const res = await rawHttp(stac.url, '/search', { 'Content-Type': 'application/json' }, 'POST', body);
    expect(res.status).toBe(413);
    expect(res.body.toString()).toContain('larger than');
  });

  it('HEAD answers on /, /search and /collections as GET does, without a body', async () => {
    for (const target of ['/', '/search', '/collections']) {
      const res = await rawHttp(stac.url, target, {}, 'HEAD');
      expect(res.status, target).toBe(200);
      expect(res.body.length).toBe(0);
    }
  });
});

describe('5. slow and half-open connections are closed', () => {
  it('200 connections that never finish their headers, or never send a byte, are closed by the server', async () => {
    const { hostname, port } = new URL(stac.url);
    const sockets: Socket[] = [];
    const closed = Array.from({ length: 200 }, (_, i) => {
      const socket = connect(Number(port), hostname);
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.resume();
      socket.on('connect', () => {
        // Half of them trickle a header line and stop; the other half send nothing at all.
        if (i % 2 === 0) socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      });
      return new Promise<void>((resolve) => socket.on('close', () => resolve()));
    });
    try {
      // The server must close every one of them; the test's own timeout is the only bound.
      await Promise.all(closed);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    // And still serves everybody else.
    expect((await rawHttp(stac.url, '/collections')).status).toBe(200);
  }, 45_000);
});
