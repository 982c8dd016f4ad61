import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as plan } from '../../scripts/cli/plan.ts';
import { startStacServer } from '../../server/stac-api.ts';
import { exited, ROOT, spawnCli } from './helpers.ts';

/**
 * A job whose source is a STAC API (the project's own server over the packs, on 127.0.0.1)
 * behind a proxy that resets connections on demand: `run` rides out a passing outage with its
 * tile-level retries (on top of the HTTP layer's), and a lasting one fails the tiles, lists
 * them and exits 1 so the engine retries the shard.
 */
const packs = join(ROOT, 'packs');
const present = existsSync(join(packs, 'dolomites-2022-06/catalog.json'));
if (!present)
  console.warn('Scale-out retry tests skipped: packs/dolomites-2022-06 is absent (npm run pack:demo)');

describe.skipIf(!present)('run retries transient failures of its source', () => {
  let dir: string;
  let stac: Server;
  let proxy: Server;
  let url: string;
  /** Connections to reset before forwarding again. */
  const outage = { remaining: 0, resets: 0 };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaleout-retry-'));
    // The demo pack, with the cloud cover a STAC search filters on (the pack does not know it).
    const served = join(dir, 'packs/dolomites-2022-06');
    await mkdir(served, { recursive: true });
    for (const band of ['B02', 'B03', 'B04', 'B08'])
      await copyFile(join(packs, 'dolomites-2022-06', `${band}.tif`), join(served, `${band}.tif`));
    const catalog = JSON.parse(await readFile(join(packs, 'dolomites-2022-06/catalog.json'), 'utf8')) as {
      features: { properties: Record<string, unknown> }[];
    };
    for (const f of catalog.features) f.properties['eo:cloud_cover'] = 0;
    await writeFile(join(served, 'catalog.json'), JSON.stringify(catalog));
    let target = new URL('http://127.0.0.1');
    proxy = createServer((req, res) => {
      if (outage.remaining > 0) {
        outage.remaining--;
        outage.resets++;
        req.socket.destroy();
        return;
      }
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    // Links (item hrefs) name the proxy, so every read of a shard goes through it.
    const upstream = await startStacServer({ packsDir: join(dir, 'packs'), publicUrl: url });
    stac = upstream.server;
    target = new URL(upstream.url);
    expect(
      await plan.run([
        '--source',
        url,
        '--bbox',
        '12.19,46.565,12.193,46.567',
        '--datetime',
        '2022-06-01/2022-06-30',
        '--model',
        'spectral',
        '--tile-km',
        '0.25',
        '--crs',
        'EPSG:32632',
        '--out',
        join(dir, 'job'),
      ]),
    ).toBe(0);
  });
  afterAll(async () => {
    await new Promise((done) => proxy?.close(done));
    await new Promise((done) => stac?.close(done));
    await rm(dir, { recursive: true, force: true });
  });

  const freshJob = async (name: string) => {
    await mkdir(join(dir, name));
    await copyFile(join(dir, 'job/plan.json'), join(dir, name, 'plan.json'));
    return join(dir, name);
  };

  it('the plan stores the STAC query and the chosen items, so shards do not search', async () => {
    const json = JSON.parse(await readFile(join(dir, 'job/plan.json'), 'utf8')) as {
      source: { kind: string; endpoint: string; itemIds: string[]; items: { id: string }[] };
    };
    expect(json.source).toMatchObject({ kind: 'stac', endpoint: url, itemIds: ['dolomites-2022-06'] });
    expect(json.source.items.map((i) => i.id)).toEqual(['dolomites-2022-06']);
  });

  it('rides out a passing outage: the tile is retried with backoff and the shard succeeds', async () => {
    const job = await freshJob('passing');
    // More resets than the HTTP layer retries (4 attempts), fewer than the tile retries cover.
    outage.remaining = 6;
    outage.resets = 0;
    const r = await exited(spawnCli(['run', '--plan', job, '--retries', '3']));
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(outage.resets).toBe(6);
    expect(r.stderr).toMatch(/"state":"retry"/);
    expect(JSON.parse(r.stdout)).toMatchObject({ failed: [] });
  }, 600_000);

  it('a lasting outage fails the tiles, lists them and exits 1', async () => {
    const job = await freshJob('lasting');
    outage.remaining = 1_000_000;
    const r = await exited(spawnCli(['run', '--plan', job, '--retries', '1']));
    outage.remaining = 0;
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { tiles: number; failed: { id: string; code: string }[] };
    expect(summary.failed.length).toBe(summary.tiles);
    expect(summary.failed[0]!.code).toBe('network');
    expect(r.stderr).toContain(`tile(s) failed: ${summary.failed[0]!.id}`);
  }, 600_000);
});
