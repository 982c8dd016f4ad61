/**
 * `npm run cli -- classify` on a synthetic three-class embeddings GeoTIFF: every output read
 * back with geotiff.js (class values, colour table, band metadata, float32 confidence), the
 * .aux.xml category names parsed as GDAL reads them, the report JSON and CSV checked.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as classify } from '../../scripts/cli/classify.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/index.ts';
import { converter } from '../../src/lib/geo/index.ts';
import { utmGrid } from '../export/helpers.ts';

const W = 60;
const H = 40;
const DIM = 8;
const grid = utmGrid(W, H);
const NAMES = ['water', 'forest', 'rock'];
const region = (col: number) => Math.min(2, Math.floor(col / 20));

function embeddings(): Uint8Array {
  const data = new Float32Array(W * H * DIM);
  for (let r = 0; r < H; r++)
    for (let c = 0; c < W; c++) {
      const base = (r * W + c) * DIM;
      for (let d = 0; d < DIM; d++) data[base + d] = 0.1 * Math.sin(r * 1.3 + c * 0.7 + d * 2.1);
      data[base + region(c)]! += 1;
    }
  const valid = new Uint8Array(W * H).fill(1);
  valid[W * H - 1] = 0;
  for (let d = 0; d < DIM; d++) data[(W * H - 1) * DIM + d] = 0;
  return embeddingsToGeoTiff({
    embeddings: createEmbeddingGrid(W, H, DIM, data, valid),
    grid,
    encoding: 'float32',
  });
}

const toWgs = converter(32632, 4326);
const at = (c: number, r: number) => toWgs([740000 + c * 10 + 5, 5170000 - r * 10 - 5]);

function labels(): string {
  const features: unknown[] = [];
  for (let cls = 0; cls < 3; cls++) {
    for (let i = 0; i < 8; i++) {
      const c = cls * 20 + 2 + ((i * 7) % 16);
      const r = 2 + ((i * 11) % 36);
      features.push({
        type: 'Feature',
        properties: { class: NAMES[cls] },
        geometry: { type: 'Point', coordinates: at(c, r) },
      });
    }
    const c0 = cls * 20 + 5;
    features.push({
      type: 'Feature',
      properties: { class: NAMES[cls] },
      geometry: {
        type: 'Polygon',
        coordinates: [[at(c0, 30), at(c0 + 4, 30), at(c0 + 4, 34), at(c0, 34), at(c0, 30)]],
      },
    });
  }
  features.push({
    type: 'Feature',
    properties: { kind: 'oops' },
    geometry: { type: 'Point', coordinates: at(1, 1) },
  });
  return JSON.stringify({ type: 'FeatureCollection', features });
}

describe('npm run cli -- classify', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-classify-'));
    await writeFile(join(dir, 'e.tif'), embeddings());
    await writeFile(join(dir, 'l.geojson'), labels());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const method of ['knn', 'logreg'] as const) {
    it(`${method}: writes the class GeoTIFF, its .aux.xml, the confidence and the report`, async () => {
      const out = join(dir, `${method}.tif`);
      const code = await classify.run([
        ...['--embeddings', join(dir, 'e.tif'), '--labels', join(dir, 'l.geojson'), '--method', method],
        ...[
          '--out',
          out,
          '--report',
          join(dir, `${method}.json`),
          '--report-csv',
          join(dir, `${method}.csv`),
        ],
        ...['--geojson', join(dir, `${method}.geojson`), '--block-size', '10', '--threshold', '0.5'],
      ]);
      expect(code).toBe(0);

      const img = await (await fromArrayBuffer((await readFile(out)).buffer as ArrayBuffer)).getImage();
      expect(img.getOrigin().slice(0, 2)).toEqual([740000, 5170000]);
      expect(img.getGDALNoData()).toBe(255);
      const classes = (await img.readRasters())[0] as Uint8Array;
      expect(classes[10 * W + 10]).toBe(0);
      expect(classes[10 * W + 30]).toBe(1);
      expect(classes[10 * W + 50]).toBe(2);
      expect(classes[W * H - 1]).toBe(255);
      expect(img.fileDirectory.getValue('PhotometricInterpretation')).toBe(3);
      const report = JSON.parse(await readFile(join(dir, `${method}.json`), 'utf8'));
      const map = Array.from((await img.fileDirectory.loadValue('ColorMap')) as Uint16Array);
      report.classes.forEach((c: { value: number; colour: string }) => {
        const rgb = [1, 3, 5].map((i) => Number.parseInt(c.colour.slice(i, i + 2), 16) * 257);
        expect([map[c.value], map[256 + c.value], map[512 + c.value]]).toEqual(rgb);
      });
      expect(await img.getGDALMetadata(0)).toMatchObject({
        CLASS_0: 'water',
        CLASS_1: 'forest',
        CLASS_2: 'rock',
      });

      const aux = await readFile(`${out}.aux.xml`, 'utf8');
      const categories = [...aux.matchAll(/<Category(?: \/>|>([^<]*)<\/Category>)/g)].map((m) => m[1] ?? '');
      expect(categories.slice(0, 3)).toEqual(NAMES);
      expect(categories[254]).toBe('uncertain');
      expect(aux).toMatch(/<PAMRasterBand band="1">/);

      const conf = await (
        await fromArrayBuffer((await readFile(join(dir, `${method}-confidence.tif`))).buffer as ArrayBuffer)
      ).getImage();
      expect(conf.getSampleFormat()).toBe(3);
      const c = (await conf.readRasters())[0] as Float32Array;
      expect(c[10 * W + 10]).toBeGreaterThan(0.5);
      expect(c[10 * W + 10]).toBeLessThanOrEqual(1);
      expect(Number.isNaN(c[W * H - 1])).toBe(true);

      expect(report.classes).toEqual([
        { value: 0, name: 'water', colour: expect.stringMatching(/^#[0-9a-f]{6}$/) },
        { value: 1, name: 'forest', colour: expect.stringMatching(/^#[0-9a-f]{6}$/) },
        { value: 2, name: 'rock', colour: expect.stringMatching(/^#[0-9a-f]{6}$/) },
      ]);
      expect(report.validation).toMatchObject({
        method: 'spatial block cross-validation',
        block_size_px: 10,
        block_size_m: 100,
      });
      expect(report.overall_accuracy).toBeGreaterThan(0.9);
      expect(report.confusion_matrix).toHaveLength(3);
      expect(report.learning_curve.length).toBeGreaterThan(1);
      expect(report.labels.refused_rows).toEqual([{ row: 28, reason: 'it has no "class" property' }]);
      const total =
        report.areas.reduce((a: number, x: { area_km2: number }) => a + x.area_km2, 0) +
        report.uncertain_area_km2;
      expect(total).toBeCloseTo(((W * H - 1) * 100) / 1e6, 9);

      const csv = Papa.parse<Record<string, string>>(await readFile(join(dir, `${method}.csv`), 'utf8'), {
        header: true,
        skipEmptyLines: true,
      });
      const overall = csv.data.find((r) => r.metric === 'overall_accuracy');
      expect(Number(overall?.value)).toBeCloseTo(report.overall_accuracy, 12);
      expect(csv.data.filter((r) => r.metric === 'confusion')).toHaveLength(9);

      const geo = JSON.parse(await readFile(join(dir, `${method}.geojson`), 'utf8'));
      const water = geo.features.find(
        (f: { properties: { class: string } }) => f.properties.class === 'water',
      );
      expect(water.properties.class_value).toBe(0);
      expect(water.properties.area_km2).toBeGreaterThan(0.05);
    });
  }

  it('refuses bad options with a clear message and exit code 2', async () => {
    await expect(
      classify.run([
        '--embeddings',
        'e.tif',
        '--labels',
        'l.geojson',
        '--method',
        'svm',
        '--out',
        'o.tif',
        '--report',
        'r.json',
      ]),
    ).rejects.toThrow(/--method must be knn or logreg/);
  });
});
