import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../../scripts/app-server.ts';
import { startStaticServer } from '../../server/static-server.ts';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path sent exactly as written (fetch would normalise '..' and '%2e'). */
function raw(
  base: string,
  pathName: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: pathName, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const tif = randomBytes(1000);
const INDEX_HTML = '<!doctype html><title>Earth Embedding Explorer</title>';
let root = '';
let server: Server;
let base = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'static-server-'));
  await mkdir(path.join(root, 'dist', 'assets'), { recursive: true });
  await writeFile(path.join(root, 'dist', 'index.html'), INDEX_HTML);
  await writeFile(path.join(root, 'dist', 'assets', 'app.js'), 'console.log(1);');
  await writeFile(path.join(root, 'secret.txt'), 'outside the served folders');
  for (const pack of ['b-pack', 'a pack']) {
    await mkdir(path.join(root, 'packs', pack), { recursive: true });
    await writeFile(
      path.join(root, 'packs', pack, 'catalog.json'),
      '{"type":"FeatureCollection","features":[]}',
    );
  }
  await writeFile(path.join(root, 'packs', 'b-pack', 'B02.tif'), tif);
  await writeFile(path.join(root, 'packs', 'b-pack', 'empty.tif'), new Uint8Array(0));
  await mkdir(path.join(root, 'packs', 'not-a-pack'), { recursive: true });
  await writeFile(path.join(root, 'packs', 'README.txt'), 'not a folder');
  // The same mounts as the app's production server (scripts/app-server.ts).
  ({ server, url: base } = await startStaticServer({
    mounts: [
      { prefix: '/', dir: path.join(root, 'dist'), role: 'app', spaFallback: true },
      { prefix: '/packs/', dir: path.join(root, 'packs'), role: 'data' },
    ],
    packsDir: path.join(root, 'packs'),
    port: 0,
  }));
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (root) await rm(root, { recursive: true, force: true });
});

const TIF = '/packs/b-pack/B02.tif';

describe('static server: range requests', () => {
  it('206 with the exact bytes and Content-Range', async () => {
    const res = await raw(base, TIF, { Range: 'bytes=100-199' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 100-199/1000');
    expect(res.headers['content-length']).toBe('100');
    expect(res.headers['content-type']).toBe('image/tiff');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.equals(tif.subarray(100, 200))).toBe(true);

    const suffix = await raw(base, TIF, { Range: 'bytes=-10' });
    expect(suffix.status).toBe(206);
    expect(suffix.headers['content-range']).toBe('bytes 990-999/1000');
    expect(suffix.body.equals(tif.subarray(990))).toBe(true);

    const open = await raw(base, TIF, { Range: 'bytes=995-' });
    expect(open.body.equals(tif.subarray(995))).toBe(true);
  });

  it('416 for a range past the end', async () => {
    const res = await raw(base, TIF, { Range: 'bytes=1000-' });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */1000');
    expect(res.body.length).toBe(0);
  });

  it('416, not a broken 206, for a suffix range of an empty file', async () => {
    const res = await raw(base, '/packs/b-pack/empty.tif', { Range: 'bytes=-512' });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */0');
    const whole = await raw(base, '/packs/b-pack/empty.tif');
    expect(whole.status).toBe(200);
    expect(whole.body.length).toBe(0);
  });

  it('a multipart/byteranges body for several ranges', async () => {
    const res = await raw(base, TIF, { Range: 'bytes=0-9,500-519,-4' });
    expect(res.status).toBe(206);
    const type = res.headers['content-type'] ?? '';
    const boundary = /^multipart\/byteranges; boundary=(.+)$/.exec(type)?.[1];
    expect(boundary).toBeTruthy();
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const text = res.body.toString('latin1');
    const parts = text.split(`--${boundary}`);
    // Preamble, three parts, then the closing '--'.
    expect(parts).toHaveLength(5);
    expect(parts[4]).toBe('--\r\n');
    const expected = [
      [0, 9],
      [500, 519],
      [996, 999],
    ] as const;
    expected.forEach(([start, end], i) => {
      const part = parts[i + 1]!;
      const split = part.indexOf('\r\n\r\n');
      const head = part.slice(0, split);
      expect(head).toContain('Content-Type: image/tiff');
      expect(head).toContain(`Content-Range: bytes ${start}-${end}/1000`);
      const data = Buffer.from(part.slice(split + 4, part.length - 2), 'latin1');
      expect(data.equals(tif.subarray(start, end + 1))).toBe(true);
      expect(part.endsWith('\r\n')).toBe(true);
    });
  });

  it('200 with the whole file without Range, or with an invalid Range', async () => {
    for (const headers of [{}, { Range: 'bytes=abc' }, { Range: 'lines=1-2' }] as Record<string, string>[]) {
      const res = await raw(base, TIF, headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-length']).toBe('1000');
      expect(res.body.equals(tif)).toBe(true);
    }
  });

  it('HEAD gives the headers and no body', async () => {
    const res = await raw(base, TIF, {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.length).toBe(0);
    const ranged = await raw(base, TIF, { Range: 'bytes=0-9' }, 'HEAD');
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-range']).toBe('bytes 0-9/1000');
    expect(ranged.body.length).toBe(0);
  });

  it('names the file version (ETag, Last-Modified) on HEAD and ranges alike, readable cross-origin', async () => {
    const head = await raw(base, TIF, {}, 'HEAD');
    const part = await raw(base, TIF, { Range: 'bytes=0-9' });
    expect(head.headers.etag).toMatch(/^"[0-9a-f]+-3e8"$/);
    expect(part.headers.etag).toBe(head.headers.etag);
    expect(Date.parse(head.headers['last-modified'] ?? '')).toBeGreaterThan(0);
    expect(head.headers['access-control-expose-headers']).toMatch(/ETag.*Last-Modified/);
    // A file rewritten in place gets a new version (the app's tile cache then fetches it afresh).
    const when = new Date('2020-02-19T11:00:00Z');
    await utimes(path.join(root, 'packs', 'b-pack', 'B02.tif'), when, when);
    const after = await raw(base, TIF, {}, 'HEAD');
    expect(after.headers.etag).not.toBe(head.headers.etag);
    expect(after.headers['last-modified']).toBe('Wed, 19 Feb 2020 11:00:00 GMT');
  });
});

describe('static server: paths, headers, listing', () => {
  it('refuses path traversal', async () => {
    for (const attempt of [
      '/..%2f..%2f..%2f..%2fetc/passwd',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/packs/..%2fsecret.txt',
      '/packs/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/packs/b-pack/..%5c..%5csecret.txt',
      '/../secret.txt',
    ]) {
      const res = await raw(base, attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.body.toString()).not.toContain('outside the served folders');
      expect(res.body.toString()).not.toContain('root:');
    }
  });

  it('sends COOP/COEP on the app, CORP and CORS on the packs only', async () => {
    for (const [pathName, status] of [
      ['/', 200],
      ['/nope.js', 404],
    ] as const) {
      const res = await raw(base, pathName);
      expect(res.status).toBe(status);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    for (const pathName of [TIF, '/packs/index.json']) {
      const res = await raw(base, pathName);
      expect(res.status).toBe(200);
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    const preflight = await raw(base, TIF, {}, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toContain('Range');
    expect(preflight.headers['access-control-expose-headers']).toContain('Content-Range');
    expect((await raw(base, TIF, {}, 'POST')).status).toBe(405);
  });

  it('lists the folders with a catalog.json at /packs/index.json, sorted', async () => {
    const res = await raw(base, '/packs/index.json');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body.toString())).toEqual({
      packs: [
        { name: 'a pack', href: '/packs/a%20pack/catalog.json' },
        { name: 'b-pack', href: '/packs/b-pack/catalog.json' },
      ],
    });
    const catalog = await raw(base, '/packs/a%20pack/catalog.json');
    expect(catalog.status).toBe(200);
    expect(catalog.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('falls back to index.html for app routes, not for files or packs', async () => {
    for (const route of ['/', '/explore', '/explore/pack/dolomites?x=1']) {
      const res = await raw(base, route);
      expect(res.status, route).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body.toString()).toBe(INDEX_HTML);
    }
    const asset = await raw(base, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw(base, '/assets/missing.js')).status).toBe(404);
    expect((await raw(base, '/packs/no-such-pack')).status).toBe(404);
    expect((await raw(base, '/packs/b-pack/B99.tif')).status).toBe(404);
  });

  it('startAppServer serves the built app and the packs the same way', async () => {
    const app = await startAppServer({
      distDir: path.join(root, 'dist'),
      packsDir: path.join(root, 'packs'),
      port: 0,
    });
    try {
      expect((await raw(app.url, '/some/route')).body.toString()).toBe(INDEX_HTML);
      const res = await raw(app.url, TIF, { Range: 'bytes=10-19' });
      expect(res.status).toBe(206);
      expect(res.body.equals(tif.subarray(10, 20))).toBe(true);
      const index = JSON.parse((await raw(app.url, '/packs/index.json')).body.toString()) as {
        packs: unknown[];
      };
      expect(index.packs).toHaveLength(2);
    } finally {
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
    }
  });

  it('has no listing and no fallback when not configured', async () => {
    const plain = await startStaticServer({ mounts: [{ prefix: '/data/', dir: path.join(root, 'packs') }] });
    try {
      expect((await raw(plain.url, '/packs/index.json')).status).toBe(404);
      expect((await raw(plain.url, '/data/some/route')).status).toBe(404);
      const res = await raw(plain.url, '/data/b-pack/B02.tif', { Range: 'bytes=1-2' });
      expect(res.body.equals(tif.subarray(1, 3))).toBe(true);
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await new Promise<void>((resolve) => plain.server.close(() => resolve()));
    }
  });
});
