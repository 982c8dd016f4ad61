import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as embed } from '../../scripts/cli/embed.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const pack = join(ROOT, 'packs/s2-29rkh-2020-02');
const model = join(ROOT, 'public/models/galileo-nano/manifest.json');
const absent = [pack, model].filter((p) => !existsSync(p));
if (absent.length > 0)
  console.warn(`CLI Galileo tests skipped: ${absent.join(', ')} absent (npm run pack:demo, npm run models)`);

async function read(
  file: string,
  x: number,
  y: number,
): Promise<{ bands: number; values: number[]; model: string }> {
  const tiff = await fromArrayBuffer((await readFile(file)).buffer as ArrayBuffer);
  const image = await tiff.getImage();
  const rasters = (await image.readRasters({ window: [x, y, x + 1, y + 1] })) as unknown as Float32Array[];
  const meta = JSON.stringify(image.getGDALMetadata() ?? {});
  return { bands: image.getSamplesPerPixel(), values: rasters.map((r) => r[0] ?? Number.NaN), model: meta };
}

const cosine = (a: number[], b: number[]): number => {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((v, i) => {
    dot += v * (b[i] ?? 0);
    aa += v * v;
    bb += (b[i] ?? 0) ** 2;
  });
  return dot / Math.sqrt(aa * bb);
};

describe.skipIf(absent.length > 0)(
  'npm run cli -- embed --model galileo-nano (real L2A pack, onnxruntime-node)',
  () => {
    let out: string;
    beforeAll(async () => {
      out = await mkdtemp(join(tmpdir(), 'cli-galileo-'));
    });
    afterAll(async () => {
      await rm(out, { recursive: true, force: true });
    });

    it('writes 128 Galileo features per pixel; int8 weights stay within cosine 0.99 of fp32', async () => {
      const fp32 = join(out, 'g32.tif');
      const int8 = join(out, 'g8.tif');
      expect(
        await embed.run(['--source', pack, '--model', 'galileo-nano', '--factor', '16', '--out', fp32]),
      ).toBe(0);
      expect(
        await embed.run([
          '--source',
          pack,
          '--model',
          'galileo-nano',
          '--dtype',
          'int8',
          '--factor',
          '16',
          '--out',
          int8,
        ]),
      ).toBe(0);
      const a = await read(fp32, 30, 30);
      const b = await read(fp32, 50, 20);
      expect(a.bands).toBe(128);
      expect(a.values.every(Number.isFinite)).toBe(true);
      // Distinct places give distinct embeddings, not one constant vector.
      expect(cosine(a.values, b.values)).toBeLessThan(0.9999);
      expect(cosine(a.values, (await read(int8, 30, 30)).values)).toBeGreaterThanOrEqual(0.99);
    }, 240_000);

    it('refuses an unknown weight type with a clear message', async () => {
      await expect(
        embed.run([
          '--source',
          pack,
          '--model',
          'galileo-nano',
          '--dtype',
          'fp8',
          '--factor',
          '16',
          '--out',
          join(out, 'x.tif'),
        ]),
      ).rejects.toThrow(/Unknown --dtype fp8; choose fp32, fp16, int8/);
    }, 240_000);
  },
);
