import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer, writeArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { converter } from '../../src/lib/geo/index.ts';

// 40 x 30 pixels, 10 m, UTM 32N near Cortina. Dimension 8. Left half (col < 20) points along
// e0, right half along e1, with small deterministic wiggles; pixel (5, 5) is nodata (NaN).
const W = 40;
const H = 30;
const DIM = 8;
const ORIGIN = { x: 290_000, y: 5_160_000 };
const dir = mkdtempSync(join(tmpdir(), 'eee-cli-'));
const root = join(import.meta.dirname, '..', '..');

function writeEmbeddings(): string {
  const values = new Float32Array(W * H * DIM); // pixel-interleaved
  for (let row = 0; row < H; row++) {
    for (let col = 0; col < W; col++) {
      const base = (row * W + col) * DIM;
      values[base + (col < 20 ? 0 : 1)] = 1;
      values[base + 2] = 0.01 * ((row * 7 + col * 3) % 5);
    }
  }
  values.fill(Number.NaN, (5 * W + 5) * DIM, (5 * W + 6) * DIM);
  const bytes = writeArrayBuffer(values, {
    width: W,
    height: H,
    ModelPixelScale: [10, 10, 0],
    ModelTiepoint: [0, 0, 0, ORIGIN.x, ORIGIN.y, 0],
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
    ProjectedCSTypeGeoKey: 32632,
  });
  const path = join(dir, 'embeddings.tif');
  writeFileSync(path, new Uint8Array(bytes));
  return path;
}

/** LON,LAT of the centre of pixel (col, row). */
function lonLat(col: number, row: number): string {
  const [lon, lat] = converter(32632, 4326)([ORIGIN.x + (col + 0.5) * 10, ORIGIN.y - (row + 0.5) * 10]);
  return `${lon},${lat}`;
}

function cli(args: string[]): Record<string, unknown> {
  const stdout = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts', 'cli.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function readBand(path: string) {
  const bytes = readFileSync(path);
  const image = await (
    await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
  ).getImage(0);
  const [band] = (await image.readRasters()) as unknown as ArrayLike<number>[];
  return { image, band: band! };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli similar / cluster', () => {
  const embeddings = writeEmbeddings();

  it('similar: a georeferenced float32 map, 1 on the picked side, NaN at nodata, places first at the pick', async () => {
    const out = join(dir, 'sim.tif');
    const result = cli([
      'similar',
      '--embeddings',
      embeddings,
      '--at',
      lonLat(3, 4),
      '--out',
      out,
      '--threshold',
      '0.99',
    ]);
    const { image, band } = await readBand(out);
    expect(image.getWidth()).toBe(W);
    expect(image.getOrigin().slice(0, 2)).toEqual([ORIGIN.x, ORIGIN.y]);
    expect(image.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32632);
    expect(band[4 * W + 3]).toBeCloseTo(1, 6);
    expect(Number.isNaN(band[5 * W + 5]!)).toBe(true);
    // Right half is orthogonal to the left (up to the small third component).
    expect(band[10 * W + 30]!).toBeLessThan(0.01);
    const places = result.places as Array<{ col: number; row: number; score: number }>;
    expect(places[0]).toMatchObject({ col: 3, row: 4 });
    expect(places[0]!.score).toBeCloseTo(1, 6);
    // Pixels >= 0.99 are (part of) the left half: at most 20 x 30 - 1 valid ones, 100 m^2 each.
    expect(result.areaKm2 as number).toBeCloseTo((result.pixelsAbove as number) * 1e-4, 9);
    expect(result.pixelsAbove as number).toBeGreaterThan(100);
    expect(result.pixelsAbove as number).toBeLessThanOrEqual(599);
  });

  it('similar: few-shot with --not, and a clear error for a place outside the grid', () => {
    const result = cli([
      'similar',
      '--embeddings',
      embeddings,
      '--at',
      lonLat(3, 4),
      '--at',
      lonLat(10, 20),
      '--not',
      lonLat(30, 3),
      '--out',
      join(dir, 'fs.tif'),
    ]);
    expect(result.positives).toBe(2);
    expect(result.negatives).toBe(1);
    expect(() =>
      cli(['similar', '--embeddings', embeddings, '--at', '0,0', '--out', join(dir, 'x.tif')]),
    ).toThrow(/outside the embeddings/);
  });

  it('cluster: two halves, labels uint8 with nodata 255, JSON summary', async () => {
    const out = join(dir, 'clusters.tif');
    const result = cli(['cluster', '--embeddings', embeddings, '-k', '2', '--seed', '1', '--out', out]);
    expect(result.k).toBe(2);
    expect((result.counts as number[]).slice().sort((a, b) => a - b)).toEqual([599, 600]);
    const { image, band } = await readBand(out);
    expect(image.getGDALNoData()).toBe(255);
    expect(band[5 * W + 5]).toBe(255);
    const left = band[0]!;
    const right = band[W - 1]!;
    expect(left).not.toBe(right);
    for (let row = 0; row < H; row++) {
      for (let col = 0; col < W; col++) {
        if (row === 5 && col === 5) continue;
        expect(band[row * W + col]).toBe(col < 20 ? left : right);
      }
    }
  });
});
