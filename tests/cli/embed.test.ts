import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as embed } from '../../scripts/cli/embed.ts';
import { DEFAULT_DATA_DIR } from '../../scripts/pack-demo.ts';
import { readEmbeddingsTiff } from '../../src/lib/analysis/index.ts';

const dir = join(DEFAULT_DATA_DIR, 's2/dolomites-2022-06');
const present = existsSync(dir);
if (!present) console.warn(`CLI embed tests skipped: ${dir} is absent`);
// The Dolomites files state no convention (DN with the +1000 offset): the CLI is told after the files.
const bands = [
  ...['b2', 'b3', 'b4', 'b8'].map((b) => join(dir, `sentinel.dolomites.${b}.tif`)),
  '--convention',
  'offset',
];

describe.skipIf(!present)('npm run cli -- embed (real Dolomites files, onnxruntime-node)', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'cli-embed-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes a georeferenced multi-band GeoTIFF of unit embeddings', async () => {
    const file = join(out, 'e.tif');
    expect(await embed.run(['--source', ...bands, '--factor', '4', '--out', file])).toBe(0);
    const image = await (await fromArrayBuffer((await readFile(file)).buffer as ArrayBuffer)).getImage();
    expect(image.getSamplesPerPixel()).toBe(13);
    expect([image.getWidth(), image.getHeight()]).toEqual([Math.ceil(1059 / 4), Math.ceil(934 / 4)]);
    expect(image.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32632);
    expect(image.getOrigin().slice(0, 2)).toEqual([740350, 5168160]);
    expect(image.getResolution()[0]).toBeCloseTo(40, 6);
    const rasters = (await image.readRasters({ window: [100, 100, 101, 101] })) as unknown as Float32Array[];
    const norm = Math.hypot(...rasters.map((r) => r[0]!));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('writes int8 embeddings with its per-band scale', async () => {
    const file = join(out, 'e8.tif');
    expect(
      await embed.run(['--source', ...bands, '--factor', '8', '--encoding', 'int8', '--out', file]),
    ).toBe(0);
    const image = await (await fromArrayBuffer((await readFile(file)).buffer as ArrayBuffer)).getImage();
    const rasters = (await image.readRasters({ window: [50, 50, 51, 51] })) as unknown as Int8Array[];
    expect(rasters[0]).toBeInstanceOf(Int8Array);
    // Each band's SCALE/OFFSET de-quantises it (the reader applies them): a unit vector again.
    const bytes = await readFile(file);
    const { grid } = await readEmbeddingsTiff(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      file,
    );
    const p = 50 * grid.width + 50;
    expect(Math.hypot(...grid.data.subarray(p * grid.dim, (p + 1) * grid.dim))).toBeCloseTo(1, 2);
  });

  it('refuses bad input with a clear message', async () => {
    await expect(embed.run(['--source', ...bands])).rejects.toThrow(/--out is required/);
    await expect(
      embed.run(['--source', ...bands, '--model', 'nope', '--out', join(out, 'x.tif')]),
    ).rejects.toThrow(/Unknown --model nope/);
    await expect(
      embed.run(['--source', join(out, 'missing.tif'), '--out', join(out, 'x.tif')]),
    ).rejects.toThrow(/does not exist/);
  });
});
