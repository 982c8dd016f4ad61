import { fromArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { type CogInput, writeCog } from '../../src/lib/cog/index.ts';

const W = 70;
const H = 45; // 32-pixel tiles: partial right and bottom tiles, one overview level
const GRID = { epsg: 32632, transform: { originX: 500000, originY: 5100000, resX: 10, resY: 10 } };

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

async function open(input: CogInput) {
  const tiff = await fromArrayBuffer(toArrayBuffer(writeCog(input)));
  return { tiff, image: await tiff.getImage() };
}

describe('writeCog with several bands', () => {
  it('Float32: band-separate tiles, values, descriptions, scale/offset and dataset metadata', async () => {
    const bands = [0, 1, 2].map((b) => Float32Array.from({ length: W * H }, (_, i) => Math.sin(i * (b + 1))));
    const { tiff, image } = await open({
      width: W,
      height: H,
      bands,
      grid: GRID,
      nodata: Number.NaN,
      tileSize: 32,
      overviewResampling: 'average',
      bandInfo: [{ description: 'dim_0', scale: 2, offset: -1 }, { description: 'dim_1' }, {}],
      metadata: { ENCODER: 'spectral <v1> & co' },
    });
    expect(image.getSamplesPerPixel()).toBe(3);
    expect(image.fileDirectory.getValue('PlanarConfiguration')).toBe(2);
    expect(Array.from(image.fileDirectory.getValue('BitsPerSample') ?? [])).toEqual([32, 32, 32]);
    const rasters = await image.readRasters();
    expect(rasters).toHaveLength(3);
    bands.forEach((band, b) => {
      expect(Array.from(rasters[b] as Float32Array)).toEqual(Array.from(band));
    });
    // One band read alone (what PlanarConfiguration 2 is for).
    const second = await image.readRasters({ samples: [1], window: [40, 30, 70, 45] });
    expect((second[0] as Float32Array)[0]).toBe(bands[1]?.[30 * W + 40]);

    expect(await image.getGDALMetadata(0)).toEqual({ DESCRIPTION: 'dim_0', OFFSET: '-1', SCALE: '2' });
    expect(await image.getGDALMetadata(1)).toEqual({ DESCRIPTION: 'dim_1' });
    expect(await image.getGDALMetadata(2)).toEqual({});
    // geotiff.js hands back the raw XML text; GDAL escapes values twice (see gdal-metadata.ts).
    expect(await image.getGDALMetadata()).toEqual({ ENCODER: 'spectral &amp;lt;v1&amp;gt; &amp;amp; co' });
    expect(Number.isNaN(image.getGDALNoData())).toBe(true);

    expect(await tiff.getImageCount()).toBe(3); // 70x45 -> 35x23 -> 18x12
    const overview = await (await tiff.getImage(1)).readRasters();
    expect(overview).toHaveLength(3);
    const mean =
      ((bands[2]?.[0] ?? 0) + (bands[2]?.[1] ?? 0) + (bands[2]?.[W] ?? 0) + (bands[2]?.[W + 1] ?? 0)) / 4;
    expect((overview[2] as Float32Array)[0]).toBeCloseTo(mean, 5);
  });

  it('Int8 (SampleFormat 2) with negative values and nodata -128', async () => {
    const bands = [0, 1].map((b) => Int8Array.from({ length: W * H }, (_, i) => ((i * (b + 3)) % 255) - 127));
    const first = bands[0] as Int8Array;
    first[7] = -128;
    const { image } = await open({
      width: W,
      height: H,
      bands,
      grid: GRID,
      nodata: -128,
      tileSize: 32,
      overviewResampling: 'average',
    });
    expect(Array.from(image.fileDirectory.getValue('SampleFormat') ?? [])).toEqual([2, 2]);
    expect(image.getGDALNoData()).toBe(-128);
    const rasters = await image.readRasters();
    expect(rasters[0]).toBeInstanceOf(Int8Array);
    expect(Array.from(rasters[0] as Int8Array)).toEqual(Array.from(first));
    expect(Array.from(rasters[1] as Int8Array)).toEqual(Array.from(bands[1] as Int8Array));
  });

  it('a palette becomes PhotometricInterpretation 3 with a 16-bit ColorMap on every IFD', async () => {
    const data = Uint8Array.from({ length: W * H }, (_, i) => (i % 7 === 0 ? 255 : i % 3));
    const palette = [
      [255, 0, 0],
      [0, 128, 0],
      [10, 20, 30],
    ] as const;
    const { tiff, image } = await open({
      width: W,
      height: H,
      data,
      grid: GRID,
      nodata: 255,
      tileSize: 32,
      overviewResampling: 'nearest',
      palette,
    });
    expect(image.fileDirectory.getValue('PhotometricInterpretation')).toBe(3);
    const map = await image.fileDirectory.loadValue('ColorMap');
    const colours = Array.from(map as Uint16Array);
    expect(colours).toHaveLength(768);
    expect([colours[0], colours[256], colours[512]]).toEqual([65535, 0, 0]);
    expect([colours[1], colours[257], colours[513]]).toEqual([0, 128 * 257, 0]);
    expect([colours[2], colours[258], colours[514]]).toEqual([10 * 257, 20 * 257, 30 * 257]);
    expect(colours[255]).toBe(0);
    expect(Array.from((await image.readRasters())[0] as Uint8Array)).toEqual(Array.from(data));
    const overview = await tiff.getImage(1);
    expect(overview.fileDirectory.getValue('PhotometricInterpretation')).toBe(3);
    expect(overview.fileDirectory.hasTag('ColorMap')).toBe(true);
  });

  it('refuses mixed types, both data and bands, bad palettes and bandInfo mismatches', () => {
    const base = { width: 4, height: 4, grid: GRID, overviewResampling: 'nearest' as const };
    const bad: CogInput[] = [
      { ...base, bands: [new Float32Array(16), new Int8Array(16)] },
      { ...base, bands: [] },
      { ...base },
      { ...base, data: new Uint8Array(16), bands: [new Uint8Array(16)] },
      { ...base, bands: [new Uint8Array(16), new Uint8Array(15)] },
      { ...base, bands: [new Uint8Array(16)], bandInfo: [{}, {}] },
      { ...base, bands: [new Uint8Array(16), new Uint8Array(16)], palette: [[1, 2, 3]] },
      { ...base, data: new Uint16Array(16), palette: [[1, 2, 3]] },
      { ...base, data: new Uint8Array(16), palette: [[1, 2, 300]] },
      { ...base, data: new Int8Array(16), nodata: 128 },
      { ...base, data: new Uint8Array(16), bandInfo: [{ scale: Number.NaN }] },
    ];
    for (const input of bad) {
      expect(() => writeCog(input)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    }
  });
});
