import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../../scripts/app-server.ts';
import { startStacServer } from '../../server/stac-api.ts';
import { closeServer, rawHttp } from './raw-http.ts';

/**
 * Issue 18 "Hardening", servers 1-4, against real sockets: what a teacher's laptop serving a
 * classroom (`--host 0.0.0.0`) gets from any client on the network.
 */

const big = randomBytes(1 << 20);
const INDEX_HTML = '<!doctype html><title>Earth Embedding Explorer</title>';
let root = '';
let app: { server: Server; url: string };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hardening-'));
  await mkdir(path.join(root, 'dist'), { recursive: true });
  await writeFile(path.join(root, 'dist', 'index.html'), INDEX_HTML);
  await mkdir(path.join(root, 'dist', 'assets'), { recursive: true });
  await writeFile(path.join(root, 'dist', 'assets', 'scene.worker.js'), 'self.onmessage = () => {};');
  await mkdir(path.join(root, 'packs', 'p1'), { recursive: true });
  await writeFile(
    path.join(root, 'packs', 'p1', 'catalog.json'),
    '{"type":"FeatureCollection","features":[]}',
  );
  await writeFile(path.join(root, 'packs', 'p1', 'big.tif'), big);
  // A link out of the served folder, and a linked folder that holds a repository.
  await symlink('/etc', path.join(root, 'packs', 'p1', 'etc'));
  await mkdir(path.join(root, 'repo', '.git'), { recursive: true });
  await writeFile(path.join(root, 'repo', '.git', 'config'), '[remote "origin"] url = secret');
  await writeFile(path.join(root, 'repo', 'data.tif'), 'linked data');
  await symlink(path.join(root, 'repo'), path.join(root, 'packs', 'linked'));
  app = await startAppServer({ distDir: path.join(root, 'dist'), packsDir: path.join(root, 'packs') });
});

afterAll(async () => {
  if (app) await closeServer(app.server);
  if (root) await rm(root, { recursive: true, force: true });
});

/**
 * Files every read of which fails, even for root (tests run as root, where chmod 000 does not
 * stop reads): a write-only sysctl refuses the open (EACCES), /proc/self/mem refuses the read
 * at offset 0 (EIO).
 */
const UNREADABLE = [
  { dir: '/proc/sys/vm', file: 'compact_memory', why: 'EACCES on open' },
  { dir: '/proc/self', file: 'mem', why: 'EIO on read' },
].filter((u) => existsSync(path.join(u.dir, u.file)));

describe('1. a file the server cannot read ends that response only', () => {
  it.skipIf(UNREADABLE.length === 0)('both servers answer it and keep serving', async () => {
    for (const { dir, file, why } of UNREADABLE) {
      const servers = [
        await startAppServer({ distDir: path.join(root, 'dist'), packsDir: dir }),
        await startStacServer({ packsDir: dir }),
      ];
      try {
        for (const { url } of servers) {
          for (const range of [undefined, 'bytes=0-9', 'bytes=0-0,5-9']) {
            const res = await rawHttp(url, `/packs/${file}`, range ? { Range: range } : {}).catch(
              (error: unknown) => error as Error,
            );
            // A clear status, or (for a failure after the first byte) a cut connection.
            if (!(res instanceof Error)) expect([403, 416, 500], `${why} ${range}`).toContain(res.status);
            const after = await rawHttp(url, '/packs/index.json');
            expect(after.status, `${url} still serves after ${why}`).toBe(200);
          }
        }
      } finally {
        for (const { server } of servers) await closeServer(server);
      }
    }
  });
});

describe('2. ranges: merged, capped, streamed, If-Range', () => {
  const FILE = '/packs/p1/big.tif';

  it('100 overlapping ranges send the file once, not 100 times', async () => {
    const header = `bytes=${Array.from({ length: 100 }, () => '0-').join(',')}`;
    const res = await rawHttp(app.url, FILE, { Range: header });
    expect(res.status).toBe(206);
    expect(res.body.length).toBe(big.length);
    expect(res.body.equals(big)).toBe(true);
  });

  it('merges overlapping and touching ranges into one multipart body no larger than asked', async () => {
    const res = await rawHttp(app.url, FILE, { Range: 'bytes=100-199,150-299,300-309,5000-5009' });
    expect(res.status).toBe(206);
    const type = res.headers['content-type'] ?? '';
    const boundary = /boundary=(.+)$/.exec(type)?.[1] ?? '';
    const text = res.body.toString('latin1');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const ranges = [...text.matchAll(/Content-Range: bytes (\d+)-(\d+)\/\d+/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(ranges).toEqual([
      [100, 309],
      [5000, 5009],
    ]);
    const first = text.split(`--${boundary}`)[1] ?? '';
    const data = Buffer.from(first.slice(first.indexOf('\r\n\r\n') + 4, -2), 'latin1');
    expect(data.equals(big.subarray(100, 310))).toBe(true);
  });

  it('many small ranges are ignored (200, the file once), as RFC 9110 allows', async () => {
    const header = `bytes=${Array.from({ length: 200 }, (_, i) => `${i * 1000}-${i * 1000 + 10}`).join(',')}`;
    const res = await rawHttp(app.url, FILE, { Range: header });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(big.length);
  });

  it('If-Range: the range for the current version, the whole file for another', async () => {
    const head = await rawHttp(app.url, FILE, {}, 'HEAD');
    const etag = head.headers.etag ?? '';
    const modified = head.headers['last-modified'] ?? '';
    for (const current of [etag, modified]) {
      const res = await rawHttp(app.url, FILE, { Range: 'bytes=0-9', 'If-Range': current });
      expect(res.status, current).toBe(206);
      expect(res.body.length).toBe(10);
    }
    for (const stale of ['"0-0"', `W/${etag}`, 'Wed, 19 Feb 2020 11:00:00 GMT']) {
      const res = await rawHttp(app.url, FILE, { Range: 'bytes=0-9', 'If-Range': stale });
      expect(res.status, stale).toBe(200);
      expect(res.body.length).toBe(big.length);
    }
  });
});

describe('3. symbolic links do not leave the served folder', () => {
  it('refuses a link to /etc and a linked folder, and hidden names', async () => {
    for (const attempt of ['/packs/p1/etc/passwd', '/packs/p1/etc/hostname', '/packs/linked/.git/config']) {
      const res = await rawHttp(app.url, attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.body.toString()).not.toContain('root:');
      expect(res.body.toString()).not.toContain('secret');
    }
    expect((await rawHttp(app.url, '/packs/linked/data.tif')).status).toBe(404);
    expect((await rawHttp(app.url, '/packs/p1/big.tif', { Range: 'bytes=0-0' })).status).toBe(206);
  });
});

describe('4. headers by role', () => {
  it('the page and its scripts: CSP with frame-ancestors, no CORS, nosniff, no framing', async () => {
    const page = await rawHttp(app.url, '/');
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy'] ?? '');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
    // A worker takes its policy from its own script's response, not from the page.
    const worker = await rawHttp(app.url, '/assets/scene.worker.js');
    expect(worker.headers['content-security-policy']).toBe(csp);
    expect(worker.headers['access-control-allow-origin']).toBeUndefined();
    // The built precomputed worker alone may build functions (TESSERA's Blosc decoder needs it).
    expect(csp).not.toContain("'unsafe-eval'");
    const precomputed = await rawHttp(app.url, '/assets/precomputed.worker-PwOibZEf.js');
    expect(precomputed.headers['content-security-policy']).toBe(
      csp.replace("'wasm-unsafe-eval'", "'wasm-unsafe-eval' 'unsafe-eval'"),
    );
  });

  it('packs: readable cross-origin (the COG role), nosniff', async () => {
    for (const p of ['/packs/p1/big.tif', '/packs/index.json', '/packs/p1/missing.tif']) {
      const res = await rawHttp(app.url, p, { Range: 'bytes=0-0' });
      expect(res.headers['access-control-allow-origin'], p).toBe('*');
      expect(res.headers['cross-origin-resource-policy'], p).toBe('cross-origin');
      expect(res.headers['x-content-type-options'], p).toBe('nosniff');
    }
  });

  it('origins the person serving the app allowed join connect-src', async () => {
    const allowed = await startAppServer({
      distDir: path.join(root, 'dist'),
      packsDir: path.join(root, 'packs'),
      connectOrigins: ['http://192.168.1.10:8090'],
    });
    try {
      const csp = (await rawHttp(allowed.url, '/')).headers['content-security-policy'] ?? '';
      expect(csp).toMatch(/connect-src [^;]*http:\/\/192\.168\.1\.10:8090/);
    } finally {
      await closeServer(allowed.server);
    }
  });
});

describe('5. the app server: malformed paths and slow connections', () => {
  it('bad %-encoding is a 400, and a client that goes away mid-file ends that response only', async () => {
    for (const target of ['/%E0%A4%A', '/packs/%E0%A4%A/big.tif', '/packs/p1/%ZZ'])
      expect((await rawHttp(app.url, target)).status, target).toBe(400);
    // Abort a multipart download after its first bytes, then ask again.
    const { hostname, port } = new URL(app.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(
          `GET /packs/p1/big.tif HTTP/1.1\r\nHost: ${hostname}\r\nRange: bytes=0-99,200000-\r\n\r\n`,
        ),
      );
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
    });
    const again = await rawHttp(app.url, '/packs/p1/big.tif', { Range: 'bytes=0-99,200000-' });
    expect(again.status).toBe(206);
  });

  it('closes connections that never finish their headers', async () => {
    const slow = await startAppServer({
      distDir: path.join(root, 'dist'),
      packsDir: path.join(root, 'packs'),
      limits: { headersMs: 1_000, idleMs: 2_000 },
    });
    const { hostname, port } = new URL(slow.url);
    try {
      const closed = Array.from({ length: 20 }, () => {
        const socket = connect(Number(port), hostname, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n'));
        socket.on('error', () => undefined);
        socket.resume();
        return new Promise<void>((resolve) => socket.on('close', () => resolve()));
      });
      await Promise.all(closed);
      expect((await rawHttp(slow.url, '/')).status).toBe(200);
    } finally {
      await closeServer(slow.server);
    }
  }, 45_000);
});
