import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as embed } from '../../scripts/cli/embed.ts';
import { DEFAULT_DATA_DIR } from '../../scripts/pack-demo.ts';
import { readEmbeddingsTiff } from '../../src/lib/analysis/index.ts';

const dir = join(DEFAULT_DATA_DIR, 's2/dolomites-2022-06');
const present = existsSync(dir);
if (!present) console.warn(`CLI MOSAIKS tests skipped: ${dir} is absent`);
// The Dolomites files state no convention (DN with the +1000 offset): the CLI is told after the files.
const bands = [
  ...['b2', 'b3', 'b4', 'b8'].map((b) => join(dir, `sentinel.dolomites.${b}.tif`)),
  '--convention',
  'offset',
];

async function image(file: string): Promise<GeoTIFFImage> {
  return (await fromArrayBuffer((await readFile(file)).buffer as ArrayBuffer)).getImage();
}

describe.skipIf(!present)(
  'npm run cli -- embed --model mosaiks (real Dolomites files, onnxruntime-node)',
  () => {
    let out: string;
    beforeAll(async () => {
      out = await mkdtemp(join(tmpdir(), 'cli-mosaiks-'));
    });
    afterAll(async () => {
      await rm(out, { recursive: true, force: true });
    });

    it('writes float32 unit embeddings on the patch grid, georeferenced like the scene', async () => {
      const file = join(out, 'm.tif');
      const args = [
        '--source',
        ...bands,
        '--model',
        'mosaiks',
        '--filters',
        '8',
        '--seed',
        '3',
        '--out',
        file,
      ];
      expect(await embed.run(args)).toBe(0);
      const tif = await image(file);
      expect(tif.getSamplesPerPixel()).toBe(16);
      // 1059 x 934 pixels of 10 m in blocks of 4: 265 x 234 patches of 40 m, same corner.
      expect([tif.getWidth(), tif.getHeight()]).toEqual([265, 234]);
      expect(tif.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32632);
      expect(tif.getOrigin().slice(0, 2)).toEqual([740350, 5168160]);
      expect(tif.getResolution().slice(0, 2)).toEqual([40, -40]);
      const rasters = (await tif.readRasters({ window: [120, 100, 121, 101] })) as unknown as Float32Array[];
      expect(rasters[0]).toBeInstanceOf(Float32Array);
      expect(Math.hypot(...rasters.map((r) => r[0]!))).toBeCloseTo(1, 5);
      // ReLU features: never negative.
      expect(Math.min(...rasters.map((r) => r[0]!))).toBeGreaterThanOrEqual(0);
    });

    it('writes int8 embeddings with --stride 8 (80 m) and its per-band scale', async () => {
      const file = join(out, 'm8.tif');
      const args = ['--source', ...bands, '--model', 'mosaiks', '--filters', '4', '--kernel', '5'];
      expect(await embed.run([...args, '--stride', '8', '--encoding', 'int8', '--out', file])).toBe(0);
      const tif = await image(file);
      expect(tif.getSamplesPerPixel()).toBe(8);
      expect([tif.getWidth(), tif.getHeight()]).toEqual([Math.ceil(1059 / 8), Math.ceil(934 / 8)]);
      expect(tif.getOrigin().slice(0, 2)).toEqual([740350, 5168160]);
      expect(tif.getResolution()[0]).toBe(80);
      const rasters = (await tif.readRasters({ window: [60, 50, 61, 51] })) as unknown as Int8Array[];
      expect(rasters[0]).toBeInstanceOf(Int8Array);
      // Each band's SCALE/OFFSET de-quantises it (the reader applies them): a unit vector again.
      const bytes = await readFile(file);
      const { grid } = await readEmbeddingsTiff(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        file,
      );
      const p = 50 * grid.width + 60;
      expect(Math.hypot(...grid.data.subarray(p * grid.dim, (p + 1) * grid.dim))).toBeCloseTo(1, 2);
    });

    it('refuses bad MOSAIKS settings before reading the scene, naming the flag and its range', async () => {
      const base = ['--source', ...bands, '--out', join(out, 'x.tif')];
      await expect(embed.run([...base, '--model', 'mosaiks', '--filters', '0'])).rejects.toThrow(
        /number of filters \(filters\) must be a whole number from 1 to 512; got 0/,
      );
      await expect(embed.run([...base, '--model', 'mosaiks', '--filters', 'many'])).rejects.toThrow(
        /--filters must be a number; got "many"/,
      );
      await expect(embed.run([...base, '--model', 'mosaiks', '--kernel', '4'])).rejects.toThrow(
        /must be odd/,
      );
      await expect(embed.run([...base, '--model', 'mosaiks', '--stride', '40'])).rejects.toThrow(
        /stride \(stride\) must be a whole number from 1 to 32; got 40/,
      );
      await expect(embed.run([...base, '--stride', '4'])).rejects.toThrow(
        /--stride applies to --model mosaiks only/,
      );
    });
  },
);
