import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridSpec } from '../../../src/lib/geo/index.ts';
import { crc32c, readShardIndex, tesseraProduct } from '../../../src/lib/precomputed/tessera/index.ts';
import { CogServer } from '../../cog/cog-server.ts';
import { cachedTesseraFixture, type TesseraFixture } from './tessera-fixture.ts';
import { countingFetch, STORE_PATH, serveStore } from './tessera-server.ts';

/**
 * Partial reads (only the inner chunks an area touches are fetched, counted) and damaged
 * stores (a chunk that does not decode, a shard index that fails its checksum or points past
 * the data): each a clear message naming the chunk or shard, never a library's own words.
 */

let fixture: TesseraFixture;
let copy: string;
let baseUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  fixture = await cachedTesseraFixture();
  // A private copy: these tests damage files.
  copy = await mkdtemp(join(tmpdir(), 'tessera-faults-'));
  await cp(fixture.dir, copy, { recursive: true });
  ({ baseUrl, close } = await serveStore(copy));
}, 300_000);
afterAll(async () => {
  await close();
  await rm(copy, { recursive: true, force: true });
});

function zoneWindow(zone: number, row0: number, col0: number, rows: number, cols: number): GridSpec {
  const t = fixture.zone(zone).transform;
  return {
    width: cols,
    height: rows,
    epsg: 32600 + zone,
    transform: { originX: t.originX + col0 * 10, originY: t.originY - row0 * 10, resX: 10, resY: 10 },
  };
}

/** The (offset, length) of every inner chunk of a shard file, from its own index. */
async function indexOf(path: string, chunks: number) {
  const bytes = new Uint8Array(await readFile(path));
  return { bytes, ...readShardIndex(bytes.subarray(bytes.length - chunks * 16 - 4)) };
}

describe('partial reads', () => {
  it('fetches at most 1.1x the bytes of the inner chunks the area touches (plus one index per shard)', async () => {
    // 70 x 70 pixels at rows 5..74, cols 10..79 of zone 31: inner chunks rows 0..2 x cols 0..2.
    const grid = zoneWindow(31, 5, 10, 70, 70);
    const { fetch, log } = countingFetch();
    const result = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2024, grid }, { fetch });
    let touched = 0;
    for (const [file, perShard] of [
      ['utm31/embeddings/c/1/0/0/0', 16],
      ['utm31/scales/c/1/0/0', 16],
    ] as const) {
      const { lengths } = await indexOf(join(copy, file), perShard);
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) touched += Math.max(0, lengths[r * 4 + c]!);
    }
    const chunkReads = log.filter((l) => l.range && !l.range.startsWith('bytes=-'));
    const indexReads = log.filter((l) => l.range?.startsWith('bytes=-'));
    const chunkBytes = chunkReads.reduce((n, l) => n + l.bytes, 0);
    expect(chunkBytes).toBeGreaterThanOrEqual(touched);
    expect(chunkBytes).toBeLessThanOrEqual(1.1 * touched);
    // One index per shard object (embeddings, scales), 16 entries x 16 bytes + CRC-32C each.
    expect(indexReads.map((l) => l.bytes)).toEqual([260, 260]);
    // Neighbouring chunks come in fewer requests than chunks (range coalescing).
    expect(chunkReads.length).toBeLessThan(18);
    expect(result.fetched.bytes).toBe(log.reduce((n, l) => n + l.bytes, 0));
  });
});

describe('a damaged store', () => {
  it('names the chunk that does not decode', async () => {
    // Inner chunk (0, 0) of 2024 zeroed, as a hole left by a failed write: not a Blosc frame.
    // (Blosc/zstd frames carry no checksum of their own: a chunk garbled in a way that still
    // decompresses cannot be told from data. The shard index is checksummed, tested below.)
    const path = join(copy, 'utm31/embeddings/c/1/0/0/0');
    const { bytes, offsets, lengths } = await indexOf(path, 16);
    const damaged = bytes.slice();
    damaged.fill(0, offsets[0]!, offsets[0]! + lengths[0]!);
    await writeFile(path, damaged);
    try {
      const read = tesseraProduct.read({
        family: 'tessera',
        baseUrl,
        year: 2024,
        grid: zoneWindow(31, 0, 0, 40, 40),
      });
      await expect(read).rejects.toMatchObject({ code: 'bad-input' });
      await expect(read).rejects.toThrow(
        `The TESSERA chunk of utm31 for 2024, rows 0-31 and columns 0-31 of the zone grid (inner chunk 0,0 in shard ${baseUrl}/utm31/embeddings/c/1/0/0/0), is damaged: its embeddings bytes do not decode (blosc/zstd) to a 1 x 128 x 32 x 32 chunk. Try again later, or another mirror.`,
      );
      // The other year's shard is intact and still reads.
      const other = await tesseraProduct.read({
        family: 'tessera',
        baseUrl,
        year: 2023,
        grid: zoneWindow(31, 0, 0, 40, 40),
      });
      expect(other.embeddings.valid.some((v) => v === 1)).toBe(true);
    } finally {
      await writeFile(path, bytes);
    }
  });

  it('refuses a shard index that fails its CRC-32C, naming the shard', async () => {
    const path = join(copy, 'utm31/scales/c/1/0/0');
    const bytes = new Uint8Array(await readFile(path));
    const damaged = bytes.slice();
    damaged[bytes.length - 100] = damaged[bytes.length - 100]! ^ 0x01;
    await writeFile(path, damaged);
    try {
      await expect(
        tesseraProduct.read({ family: 'tessera', baseUrl, year: 2024, grid: zoneWindow(31, 0, 0, 8, 8) }),
      ).rejects.toThrow(
        new RegExp(
          `^The TESSERA shard ${baseUrl}/utm31/scales/c/1/0/0 is damaged: its chunk index fails its CRC-32C check`,
        ),
      );
    } finally {
      await writeFile(path, bytes);
    }
  });

  it('refuses an index (with a good checksum) that points past the shard’s data', async () => {
    const path = join(copy, 'utm31/embeddings/c/0/0/0/0');
    const bytes = new Uint8Array(await readFile(path));
    const damaged = bytes.slice();
    const indexStart = bytes.length - 16 * 16 - 4;
    const view = new DataView(damaged.buffer);
    view.setBigUint64(indexStart + 8, BigInt(bytes.length), true); // chunk 0's length: the whole file
    view.setUint32(bytes.length - 4, crc32c(damaged.subarray(indexStart, bytes.length - 4)), true);
    await writeFile(path, damaged);
    try {
      await expect(
        tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid: zoneWindow(31, 0, 0, 8, 8) }),
      ).rejects.toThrow(
        new RegExp(
          `^The TESSERA shard ${baseUrl}/utm31/embeddings/c/0/0/0/0 is damaged: its index places inner chunk 0 at bytes 0-${bytes.length}, past the`,
        ),
      );
    } finally {
      await writeFile(path, bytes);
    }
  });

  it('refuses a shard cut short (its index is gone)', async () => {
    const path = join(copy, 'utm31/embeddings/c/0/0/0/0');
    const bytes = new Uint8Array(await readFile(path));
    await writeFile(path, bytes.subarray(0, bytes.length - 1000));
    try {
      await expect(
        tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid: zoneWindow(31, 0, 0, 8, 8) }),
      ).rejects.toThrow(/^The TESSERA shard .* is damaged: its chunk index fails its CRC-32C check/);
    } finally {
      await writeFile(path, bytes);
    }
  });
});

describe('an unreliable connection', () => {
  let server: CogServer;
  beforeAll(async () => {
    // The same store from an in-memory server whose chosen files fail on demand.
    server = new CogServer();
    const files = await readdir(fixture.dir, { recursive: true, withFileTypes: true });
    for (const f of files.filter((e) => e.isFile())) {
      const path = join(f.parentPath, f.name);
      const key = `${STORE_PATH}/${path.slice(fixture.dir.length + 1)}`;
      server.files.set(key, { bytes: new Uint8Array(await readFile(path)), behaviour: 'range' });
    }
    await server.start();
  });
  afterAll(() => server.stop());

  it('retries a connection reset and delivers the same embeddings', async () => {
    const url = `${server.url}${STORE_PATH}`;
    const grid = zoneWindow(31, 0, 0, 40, 40);
    const clean = await tesseraProduct.read({ family: 'tessera', baseUrl: url, year: 2024, grid });
    const shard = `${STORE_PATH}/utm31/embeddings/c/1/0/0/0`;
    server.files.get(shard)!.behaviour = 'reset';
    server.failures = 2;
    server.reset();
    const retried = await tesseraProduct.read({ family: 'tessera', baseUrl: url, year: 2024, grid });
    expect(retried.embeddings.data).toEqual(clean.embeddings.data);
    expect(retried.embeddings.valid).toEqual(clean.embeddings.valid);
    // The index read was tried three times (two resets, then the answer).
    expect(server.log.filter((l) => l.path === shard && l.range?.startsWith('bytes=-'))).toHaveLength(3);
  });

  it('reads through a server that ignores Range when files are small, and refuses a large shard whole', async () => {
    const url = `${server.url}${STORE_PATH}`;
    server.failures = 0;
    for (const file of server.files.values()) file.behaviour = 'ignore-range';
    const grid = zoneWindow(31, 0, 0, 40, 40);
    const whole = await tesseraProduct.read({ family: 'tessera', baseUrl: url, year: 2023, grid });
    const ranged = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid });
    expect(whole.embeddings.data).toEqual(ranged.embeddings.data);
    // A 40 MiB shard answered whole (200) is refused before its body is read.
    const shard = `${STORE_PATH}/utm31/embeddings/c/0/0/0/0`;
    const real = server.files.get(shard)!.bytes;
    const big = new Uint8Array(40 * 2 ** 20);
    big.set(real, big.length - real.length);
    server.files.set(shard, { bytes: big, behaviour: 'ignore-range' });
    try {
      const read = tesseraProduct.read({ family: 'tessera', baseUrl: url, year: 2023, grid });
      await expect(read).rejects.toMatchObject({ code: 'unsupported' });
      await expect(read).rejects.toThrow(
        `The server of ${url}/utm31/embeddings/c/0/0/0/0 ignores HTTP range requests and would send the whole file (40 MiB); TESSERA shards must be read in parts. Serve the mirror with a server that answers Range requests (206).`,
      );
    } finally {
      server.files.set(shard, { bytes: real, behaviour: 'range' });
      for (const file of server.files.values()) file.behaviour = 'range';
    }
  });

  it('gives up after its retries with a message that names the store and the setting', async () => {
    const url = `${server.url}${STORE_PATH}`;
    server.files.get(`${STORE_PATH}/utm31/scales/c/1/0/0`)!.behaviour = 'reset';
    server.failures = 100;
    server.reset();
    const read = tesseraProduct.read({
      family: 'tessera',
      baseUrl: url,
      year: 2024,
      grid: zoneWindow(31, 0, 0, 8, 8),
    });
    await expect(read).rejects.toMatchObject({ code: 'network' });
    await expect(read).rejects.toThrow(
      `Could not reach the TESSERA store (${url}/utm31/scales/c/1/0/0). Check the network connection and the TESSERA base URL setting.`,
    );
  });
});
