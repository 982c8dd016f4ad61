import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCog, sampleEmbeddings } from '../../scripts/fuzz/tiff-targets.ts';
import { writeCog } from '../../src/lib/cog/index.ts';

/**
 * The CLI as users run it (a child process): every command line is checked before any work,
 * and failures exit with distinct codes (usage 2, input 3, runtime 1) and a JSON error event
 * naming the kind. No shared data needed: the fixtures are written here.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
let dir = '';
let closedPort = 0;
const BANDS = ['B02', 'B03', 'B04', 'B08'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  error: { kind: string; exit: number; code: string; message: string } | undefined;
  progressEvents: number;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/cli.ts'), ...args],
      { cwd: ROOT, timeout: 120_000 },
      (error, stdout, stderr) => {
        const lines = String(stderr)
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { event: string });
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          error: lines.find((l) => l.event === 'error') as Run['error'],
          progressEvents: lines.filter((l) => l.event === 'progress').length,
        });
      },
    );
  });
}

const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-exit-'));
  await writeFile(file('emb.tif'), sampleEmbeddings());
  await writeFile(file('band.tif'), sampleCog());
  // Four Sentinel-2 bands whose every pixel is 0 (nodata for DN files): nothing valid to encode.
  const grid = { epsg: 32632, transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 } };
  for (const band of BANDS) {
    const data = new Uint16Array(32 * 32);
    await writeFile(
      file(`empty-${band}.tif`),
      writeCog({ width: 32, height: 32, data, grid, nodata: 0, tileSize: 16, overviewResampling: 'average' }),
    );
  }
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** 600 000 E, 5 200 000 N in UTM 32N, inside the fixtures. */
const INSIDE = '10.3135,46.9395';

describe('CLI exit codes: usage 2, input 3, runtime 1, checked before any work', () => {
  it('--help documents the exit codes and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/exit codes: 0 ok, 1 runtime failure.*2 usage error/s);
    const sub = await cli(['similar', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/3 input error/);
  });

  it('an unknown command or option -> usage (2), naming it', async () => {
    expect((await cli(['nope'])).code).toBe(2);
    const run = await cli(['similar', '--bogus', 'x']);
    expect(run.code).toBe(2);
    expect(run.error?.kind).toBe('usage');
    expect(run.error?.message).toMatch(/Unknown option --bogus/);
  });

  it('a malformed --bbox -> usage (2)', async () => {
    const run = await cli([
      'embed',
      '--source',
      `http://127.0.0.1:${closedPort}/`,
      '--bbox',
      '1,2,3',
      '--datetime',
      '2022-06-01/2022-06-30',
      '--out',
      file('x.tif'),
    ]);
    expect(run.code).toBe(2);
    expect(run.error?.kind).toBe('usage');
    expect(run.error?.message).toMatch(/--bbox "1,2,3"/);
  });

  it('a missing input file -> input (3)', async () => {
    const run = await cli([
      'similar',
      '--embeddings',
      file('missing.tif'),
      '--at',
      INSIDE,
      '--out',
      file('s.tif'),
    ]);
    expect(run.code).toBe(3);
    expect(run.error?.kind).toBe('input');
    expect(run.error?.message).toMatch(/missing\.tif does not exist/);
  });

  it('--out into a missing folder -> usage (2) before any work', async () => {
    const out = file('no/such/folder/c.tif');
    const cluster = await cli(['cluster', '--embeddings', file('emb.tif'), '-k', '2', '--out', out]);
    expect(cluster.code).toBe(2);
    expect(cluster.error?.message).toMatch(/folder .* does not exist/);
    expect(cluster.progressEvents).toBe(0);
    const embed = await cli(['embed', '--source', ...BANDS.map((b) => file(`empty-${b}.tif`)), '--out', out]);
    expect(embed.code).toBe(2);
    expect(embed.progressEvents).toBe(0);
  });

  it('a one-band UInt16 file given as embeddings -> input (3)', async () => {
    const run = await cli([
      'similar',
      '--embeddings',
      file('band.tif'),
      '--at',
      INSIDE,
      '--out',
      file('s.tif'),
    ]);
    expect(run.code).toBe(3);
    expect(run.error?.message).toMatch(/has 1 band .*embeddings have one band per dimension/);
    expect(existsSync(file('s.tif'))).toBe(false);
  });

  it('a scene with no valid pixel -> input (3), nothing written', async () => {
    const out = file('empty-embeddings.tif');
    const empty = BANDS.map((b) => file(`empty-${b}.tif`));
    const run = await cli(['embed', '--source', ...empty, '--convention', 'offset', '--out', out]);
    expect(run.code).toBe(3);
    expect(run.error?.message).toMatch(/no valid pixel/);
    expect(existsSync(out)).toBe(false);
  });

  it('an unreachable STAC API -> runtime (1)', async () => {
    const run = await cli([
      'embed',
      '--source',
      `http://127.0.0.1:${closedPort}/`,
      '--bbox',
      '12,46,12.1,46.1',
      '--datetime',
      '2022-06-01/2022-06-30',
      '--out',
      file('x.tif'),
    ]);
    expect(run.code).toBe(1);
    expect(run.error?.kind).toBe('runtime');
    expect(run.error?.code).toBe('network');
  });

  it('out-of-range values -> usage (2); a good command -> 0', async () => {
    const bad = await cli(['cluster', '--embeddings', file('emb.tif'), '-k', '50', '--out', file('c.tif')]);
    expect(bad.code).toBe(2);
    expect(bad.error?.message).toMatch(/-k must be a whole number >= 2 and <= 20/);
    const ok = await cli(['cluster', '--embeddings', file('emb.tif'), '-k', '2', '--out', file('c.tif')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ k: 2, width: 16, height: 16, dim: 4 });
  });
});
