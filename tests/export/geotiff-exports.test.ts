import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { clustersToGeoTiff } from '../../src/lib/export/clusters-geotiff.ts';
import {
  embeddingsToGeoTiff,
  INT8_NODATA,
  int8BandScales,
  quantiseInt8,
} from '../../src/lib/export/embeddings-geotiff.ts';
import { similarityToGeoTiff } from '../../src/lib/export/similarity-geotiff.ts';
import { CLUSTER_PALETTE } from '../../src/lib/render/index.ts';
import { labelMap, random, toArrayBuffer, utmGrid } from './helpers.ts';

const W = 37;
const H = 23;
const grid = utmGrid(W, H);

async function image(bytes: Uint8Array): Promise<GeoTIFFImage> {
  return (await fromArrayBuffer(toArrayBuffer(bytes))).getImage();
}

function expectGeoreference(img: GeoTIFFImage): void {
  expect(img.getOrigin()).toEqual([740000, 5170000, 0]);
  expect(img.getResolution()).toEqual([10, -10, 0]);
  expect(img.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32632);
  expect([img.getWidth(), img.getHeight()]).toEqual([W, H]);
}

describe('clustersToGeoTiff', () => {
  it('labels, nodata 255, the app palette as colour map, description and names', async () => {
    const labels = labelMap(W, H, 4, 1);
    const img = await image(clustersToGeoTiff({ labels, grid, k: 4, names: ['a', 'b', 'c', 'd'] }));
    expectGeoreference(img);
    expect(img.getGDALNoData()).toBe(255);
    expect(Array.from((await img.readRasters())[0] as Uint8Array)).toEqual(Array.from(labels));
    expect(img.fileDirectory.getValue('PhotometricInterpretation')).toBe(3);
    const map = Array.from((await img.fileDirectory.loadValue('ColorMap')) as Uint16Array);
    for (let l = 0; l < 4; l++) {
      const [r, g, b] = CLUSTER_PALETTE[l] ?? [0, 0, 0];
      expect([map[l], map[256 + l], map[512 + l]]).toEqual([r * 257, g * 257, b * 257]);
    }
    expect(await img.getGDALMetadata(0)).toEqual({
      DESCRIPTION: 'cluster',
      CLUSTER_0: 'a',
      CLUSTER_1: 'b',
      CLUSTER_2: 'c',
      CLUSTER_3: 'd',
    });
    expect(await img.getGDALMetadata()).toMatchObject({ CLUSTER_COUNT: '4' });
  });

  it('refuses a label the palette does not cover', () => {
    expect(() => clustersToGeoTiff({ labels: new Uint8Array(W * H).fill(4), grid, k: 4 })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});

describe('similarityToGeoTiff', () => {
  it('float32 scores with NaN nodata and the query pixel as metadata', async () => {
    const rnd = random(3);
    const scores = Float32Array.from({ length: W * H }, () => rnd() * 2 - 1);
    scores[5] = Number.NaN;
    const img = await image(similarityToGeoTiff({ scores, grid, query: { col: 4, row: 9 } }));
    expectGeoreference(img);
    expect(Number.isNaN(img.getGDALNoData())).toBe(true);
    const back = (await img.readRasters())[0] as Float32Array;
    expect(Buffer.from(back.buffer).equals(Buffer.from(scores.buffer))).toBe(true);
    expect(await img.getGDALMetadata(0)).toEqual({ DESCRIPTION: 'cosine_similarity' });
    expect(await img.getGDALMetadata()).toEqual({ QUERY_COL: '4', QUERY_ROW: '9' });
  });
});

describe('embeddingsToGeoTiff', () => {
  const dim = 3;
  const rnd = random(9);
  const data = Float32Array.from({ length: W * H * dim }, () => rnd() * 2.4 - 1.2);
  const valid = Uint8Array.from({ length: W * H }, (_, p) => (p % 11 === 0 ? 0 : 1));
  const embeddings = createEmbeddingGrid(W, H, dim, data, valid);

  it('float32: one band per dimension named dim_i, invalid pixels NaN', async () => {
    const img = await image(embeddingsToGeoTiff({ embeddings, grid, encoding: 'float32' }));
    expectGeoreference(img);
    expect(img.getSamplesPerPixel()).toBe(dim);
    const bands = await img.readRasters();
    for (let d = 0; d < dim; d++) {
      const band = bands[d] as Float32Array;
      expect(await img.getGDALMetadata(d)).toEqual({ DESCRIPTION: `dim_${d}` });
      for (const p of [1, 2, 500, W * H - 1]) expect(band[p]).toBe(data[p * dim + d]);
      expect(Number.isNaN(band[0] ?? 0)).toBe(true);
    }
  });

  it('says its progress: the overviews of each band, then the tiles of each level, to the last step', () => {
    const seen: [number, number][] = [];
    const bytes = embeddingsToGeoTiff({
      embeddings,
      grid,
      encoding: 'float32',
      onProgress: (done, total) => seen.push([done, total]),
    });
    const total = seen.at(-1)?.[1] ?? 0;
    // dim bands' pyramids, then per level the tiles of each band: at least the full level.
    expect(total).toBeGreaterThanOrEqual(2 * dim);
    expect(seen.map(([done]) => done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // One total from the first step on: a bar never runs full, then falls back.
    expect(seen.every(([, t]) => t === total)).toBe(true);
    // The same bytes as without a listener.
    expect(bytes).toEqual(embeddingsToGeoTiff({ embeddings, grid, encoding: 'float32' }));
  });

  it('int8: per-band SCALE/OFFSET from the band range, nodata -128, the scheme as metadata', async () => {
    const names = ['red', 'green', 'blue'];
    const img = await image(embeddingsToGeoTiff({ embeddings, grid, encoding: 'int8', names }));
    expect(Array.from(img.fileDirectory.getValue('SampleFormat') ?? [])).toEqual([2, 2, 2]);
    expect(img.getGDALNoData()).toBe(INT8_NODATA);
    const bands = await img.readRasters();
    for (let d = 0; d < dim; d++) {
      const band = bands[d] as Int8Array;
      const meta = await img.getGDALMetadata(d);
      expect(meta).toMatchObject({ DESCRIPTION: names[d] });
      const scale = Number(meta?.SCALE);
      const offset = Number(meta?.OFFSET);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let worst = 0;
      let ends = 0;
      for (let p = 0; p < W * H; p++) {
        if (valid[p] === 0) {
          expect(band[p]).toBe(INT8_NODATA);
          continue;
        }
        const x = data[p * dim + d] ?? 0;
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        const stored = band[p] ?? 0;
        if (Math.abs(stored) === 127) ends++;
        worst = Math.max(worst, Math.abs(stored * scale + offset - x));
      }
      // The band's own range maps onto -127..127: values beyond ±1 (here up to ±1.2) are kept.
      expect(scale).toBeCloseTo((hi - lo) / 254, 7);
      expect(offset).toBeCloseTo((hi + lo) / 2, 7);
      expect(worst).toBeLessThanOrEqual(scale / 2 + 1e-6);
      expect(ends).toBeGreaterThanOrEqual(2);
    }
    const band0 = int8BandScales(embeddings)[0]!;
    expect(quantiseInt8(band0.offset, band0)).toBe(0);
    expect(String((await img.getGDALMetadata())?.EMBEDDING_QUANTISATION)).toMatch(/^int8-affine-per-band: /);
  });

  it('int8: a constant band keeps its value exactly, a grid with no valid pixel writes nodata', async () => {
    const flat = createEmbeddingGrid(W, H, 2, new Float32Array(W * H * 2).fill(0.25));
    const img = await image(embeddingsToGeoTiff({ embeddings: flat, grid, encoding: 'int8' }));
    expect(await img.getGDALMetadata(1)).toMatchObject({ SCALE: '1', OFFSET: '0.25' });
    expect(Array.from(((await img.readRasters())[1] as Int8Array).slice(0, 3))).toEqual([0, 0, 0]);
    const none = createEmbeddingGrid(W, H, 2, new Float32Array(W * H * 2), new Uint8Array(W * H));
    const empty = await image(embeddingsToGeoTiff({ embeddings: none, grid, encoding: 'int8' }));
    expect(((await empty.readRasters())[0] as Int8Array).every((v) => v === INT8_NODATA)).toBe(true);
  });

  it('refuses a grid that does not match the embeddings', () => {
    expect(() => embeddingsToGeoTiff({ embeddings, grid: utmGrid(W + 1, H), encoding: 'int8' })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});
