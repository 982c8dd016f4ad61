import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classAt } from '../../scripts/aef-fixture/aef-field.ts';
import { command as classify } from '../../scripts/cli/classify.ts';
import { command as cluster } from '../../scripts/cli/cluster.ts';
import { command as fetchEmbeddings } from '../../scripts/cli/fetch-embeddings.ts';
import { command as similar } from '../../scripts/cli/similar.ts';
import { type ServedFixture, serveAefFixture } from '../precomputed/aef/aef-server.ts';

let served: ServedFixture;
let out: string;
beforeAll(async () => {
  served = await serveAefFixture();
  out = await mkdtemp(join(tmpdir(), 'cli-fetch-embeddings-'));
}, 600_000);
afterAll(async () => {
  await served?.close();
  await rm(out, { recursive: true, force: true });
});

/** Runs a command with stdout captured; returns its exit code and the JSON summary. */
async function run(
  cmd: { run(args: string[]): Promise<number> },
  args: string[],
): Promise<{ code: number; json: Record<string, unknown> }> {
  const write = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await cmd.run(args);
    return { code, json: JSON.parse(text) as Record<string, unknown> };
  } finally {
    process.stdout.write = write;
  }
}

// Across 12°E: zone 32's and zone 33's tiles, mosaicked on zone 33's grid (the centre's zone).
const BBOX = '11.985,46.47,12.015,46.50';

describe('npm run cli -- fetch-embeddings (AlphaEarth fixtures on 127.0.0.1)', () => {
  it('writes a float32 embeddings GeoTIFF with A00..A63 and the product, year and base URL', async () => {
    const file = join(out, 'aef.tif');
    const args = [
      '--product',
      'aef',
      '--year',
      '2022',
      '--bbox',
      BBOX,
      '--base-url',
      served.base,
      '--out',
      file,
    ];
    const { code, json } = await run(fetchEmbeddings, args);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      product: 'aef',
      year: 2022,
      epsg: 32633,
      dim: 64,
      resolution_m: 10,
      files: 4,
    });
    expect(json.valid_fraction).toBe(1);
    const image = await (await fromArrayBuffer((await readFile(file)).buffer as ArrayBuffer)).getImage();
    expect(image.getSamplesPerPixel()).toBe(64);
    expect(image.getSampleFormat()).toBe(3);
    expect(await image.getGDALMetadata(0)).toMatchObject({ DESCRIPTION: 'A00' });
    expect(await image.getGDALMetadata(63)).toMatchObject({ DESCRIPTION: 'A63' });
    expect(await image.getGDALMetadata()).toMatchObject({
      PRODUCT: 'aef',
      YEAR: '2022',
      BASE_URL: served.base,
      EMBEDDING_DIMENSIONS: '64',
    });
  }, 300_000);

  it('similar, cluster and classify take the file', async () => {
    const file = join(out, 'aef.tif');
    const [lon, lat] = served.fx.features[1]!;
    const sim = await run(similar, [
      '--embeddings',
      file,
      '--at',
      `${lon},${lat}`,
      '--out',
      join(out, 'sim.tif'),
      '--top',
      '3',
    ]);
    expect(sim.code).toBe(0);
    expect((sim.json.places as { score: number }[])[0]!.score).toBeCloseTo(1, 5);
    const km = await run(cluster, ['--embeddings', file, '-k', '5', '--out', join(out, 'k.tif')]);
    expect(km.code).toBe(0);
    // Labels from the fixture's land-cover classes on a spread-out lattice of points.
    const features = [];
    for (let i = 0; i < 14; i++)
      for (let j = 0; j < 14; j++) {
        const [x, y] = [11.986 + i * 0.002, 46.471 + j * 0.002];
        const c = classAt(served.fx.field, x, y, 2022);
        features.push({
          type: 'Feature',
          properties: { class: `cover${c}` },
          geometry: { type: 'Point', coordinates: [x, y] },
        });
      }
    const labels = join(out, 'labels.geojson');
    await writeFile(labels, JSON.stringify({ type: 'FeatureCollection', features }));
    const cls = await run(classify, [
      '--embeddings',
      file,
      '--labels',
      labels,
      '--method',
      'knn',
      '--out',
      join(out, 'map.tif'),
      '--report',
      join(out, 'r.json'),
      '--no-learning-curve',
    ]);
    expect(cls.code).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'r.json'), 'utf8')) as { overall_accuracy: number };
    expect(report.overall_accuracy).toBeGreaterThan(0.8);
  }, 300_000);

  it('refuses bad command lines before any request, and says what the server lacks', async () => {
    const base = ['--bbox', BBOX, '--base-url', served.base, '--out', join(out, 'x.tif')];
    await expect(fetchEmbeddings.run(['--product', 'nope', '--year', '2022', ...base])).rejects.toThrow(
      /Unknown --product nope; choose aef/,
    );
    await expect(fetchEmbeddings.run(['--product', 'aef', '--year', '20x', ...base])).rejects.toThrow(
      /--year must be a whole number/,
    );
    await expect(
      fetchEmbeddings.run(['--product', 'aef', '--year', '2022', ...base, '--res', '5']),
    ).rejects.toThrow(/--res must be a number >= 10/);
    await expect(fetchEmbeddings.run(['--product', 'aef', '--year', '2031', ...base])).rejects.toThrow(
      /no files for 2031/,
    );
    await expect(
      fetchEmbeddings.run([
        '--product',
        'aef',
        '--year',
        '2016',
        '--bbox',
        BBOX,
        '--out',
        join(out, 'x.tif'),
      ]),
    ).rejects.toThrow(/publishes 2018–2024/);
  }, 120_000);
});
