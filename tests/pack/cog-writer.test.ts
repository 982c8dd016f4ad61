import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromArrayBuffer, fromUrl, type GeoTIFF } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CogInput, writeCog } from '../../src/lib/cog/index.ts';

const W = 1000;
const H = 777; // odd: the bottom row of tiles and of overview blocks is partial
const TRANSFORM = { originX: 740350, originY: 5168160, resX: 10, resY: 10 };

/** Deterministic pseudo-random pixels with a nodata patch in the top-left corner. */
function syntheticU16(): Uint16Array {
  const data = new Uint16Array(W * H);
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = 1000 + (seed >>> 20);
  }
  for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) data[y * W + x] = 0;
  return data;
}

function syntheticF32(): Float32Array {
  const data = new Float32Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i / 7) * 1234.5678 + (i % 13) * 1e-3;
  data[5] = -9999;
  data[W * H - 1] = -9999;
  return data;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

/** End of the last byte any IFD (entries or out-of-line values) occupies, read independently. */
function ifdRegionEnd(bytes: Uint8Array): { end: number; count: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 12: 8 };
  let offset = view.getUint32(4, true);
  let end = 0;
  let count = 0;
  while (offset !== 0) {
    count++;
    const n = view.getUint16(offset, true);
    end = Math.max(end, offset + 2 + n * 12 + 4);
    for (let i = 0; i < n; i++) {
      const entry = offset + 2 + i * 12;
      const bytesNeeded = (size[view.getUint16(entry + 2, true)] ?? 0) * view.getUint32(entry + 4, true);
      if (bytesNeeded > 4) end = Math.max(end, view.getUint32(entry + 8, true) + bytesNeeded);
    }
    offset = view.getUint32(offset + 2 + n * 12, true);
  }
  return { end, count };
}

async function tileOffsets(tiff: GeoTIFF, index: number): Promise<number[]> {
  const image = await tiff.getImage(index);
  const offsets: unknown = await image.fileDirectory.loadValue('TileOffsets');
  if (!(offsets instanceof Uint32Array)) throw new Error('TileOffsets not read as LONG');
  return Array.from(offsets);
}

function cog(data: CogInput['data'], extra: Partial<CogInput> = {}): Uint8Array {
  return writeCog({
    width: W,
    height: H,
    data,
    grid: { epsg: 32632, transform: TRANSFORM },
    nodata: 0,
    overviewResampling: 'average',
    ...extra,
  });
}

describe('writeCog round trip (geotiff.js fromArrayBuffer)', () => {
  it('UInt16: pixels, georeferencing, tiling, overview average and COG layout', async () => {
    const data = syntheticU16();
    const bytes = cog(data);
    const tiff = await fromArrayBuffer(toArrayBuffer(bytes));
    const image = await tiff.getImage();
    expect(image.getWidth()).toBe(W);
    expect(image.getHeight()).toBe(H);
    expect(image.getTileWidth()).toBe(512);
    expect(image.getTileHeight()).toBe(512);
    expect(image.getOrigin()).toEqual([740350, 5168160, 0]);
    expect(image.getResolution()).toEqual([10, -10, 0]);
    expect(image.getGeoKeys()).toMatchObject({
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: 1,
      ProjectedCSTypeGeoKey: 32632,
    });
    expect(image.getGDALNoData()).toBe(0);
    expect(image.fileDirectory.getValue('Compression')).toBe(8);
    expect(await image.fileDirectory.loadValue('Predictor')).toBe(2);
    expect(Array.from(image.fileDirectory.getValue('SampleFormat') ?? [])).toEqual([1]);
    expect(Array.from(image.fileDirectory.getValue('BitsPerSample') ?? [])).toEqual([16]);

    const pixels = await image.readRasters({ interleave: true });
    expect(pixels).toBeInstanceOf(Uint16Array);
    expect(Buffer.from(pixels.buffer).equals(Buffer.from(data.buffer))).toBe(true);

    // 1000x777 with 512 tiles -> one overview of 500x389 fits in a tile.
    expect(await tiff.getImageCount()).toBe(2);
    const overview = await tiff.getImage(1);
    expect(overview.fileDirectory.getValue('NewSubfileType')).toBe(1);
    expect([overview.getWidth(), overview.getHeight()]).toEqual([500, 389]);
    const ov = await overview.readRasters({ interleave: true });
    const px = (x: number, y: number) => data[y * W + x] ?? -1;
    // Block (1,1) has nodata at (2,2) only: average of the three valid pixels.
    expect(ov[1 * 500 + 1]).toBe(Math.round((px(3, 2) + px(2, 3) + px(3, 3)) / 3));
    expect(ov[0]).toBe(0); // all four pixels nodata
    expect(ov[10 * 500 + 7]).toBe(Math.round((px(14, 20) + px(15, 20) + px(14, 21) + px(15, 21)) / 4));
    // Bottom row of blocks has a single source row (777 is odd).
    expect(ov[388 * 500 + 4]).toBe(Math.round((px(8, 776) + px(9, 776)) / 2));

    // COG layout: every IFD before any tile, smallest overview's tiles first.
    const { end, count } = ifdRegionEnd(bytes);
    expect(count).toBe(2);
    const main = await tileOffsets(tiff, 0);
    const small = await tileOffsets(tiff, 1);
    expect(main).toHaveLength(4);
    expect(end).toBeLessThanOrEqual(Math.min(...main, ...small));
    expect(Math.max(...small)).toBeLessThan(Math.min(...main));
    expect(await tiff.getGhostValues()).toMatchObject({ LAYOUT: 'IFDS_BEFORE_DATA' });
  });

  it('Float32 with predictor 3: bit-identical pixels and nodata', async () => {
    const data = syntheticF32();
    const tiff = await fromArrayBuffer(toArrayBuffer(cog(data, { nodata: -9999, tileSize: 256 })));
    const image = await tiff.getImage();
    expect(await image.fileDirectory.loadValue('Predictor')).toBe(3);
    expect(Array.from(image.fileDirectory.getValue('SampleFormat') ?? [])).toEqual([3]);
    expect(image.getTileWidth()).toBe(256);
    expect(image.getGDALNoData()).toBe(-9999);
    const pixels = await image.readRasters({ interleave: true });
    expect(pixels).toBeInstanceOf(Float32Array);
    expect(Buffer.from(pixels.buffer).equals(Buffer.from(data.buffer))).toBe(true);
    // 1000 -> 500 -> 250 fits 256: two overviews.
    expect(await tiff.getImageCount()).toBe(3);
    const ov = await (await tiff.getImage(1)).readRasters({ interleave: true });
    // Block (2,0) contains the -9999 pixel at x=5: it is left out of the mean.
    const mean = (data[4]! + data[W + 4]! + data[W + 5]!) / 3;
    expect(ov[2]).toBeCloseTo(mean, 3);
    expect(ifdRegionEnd(cog(data, { nodata: -9999, tileSize: 256 })).count).toBe(3);
  });

  it('nearest overviews keep class values (SCL-like UInt8) and geographic CRS keys', async () => {
    const w = 40;
    const h = 33;
    const data = new Uint8Array(w * h).map((_, i) => 2 + (i % 9));
    data[0] = 0;
    const bytes = writeCog({
      width: w,
      height: h,
      data,
      grid: { epsg: 4326, transform: { originX: 12, originY: 47, resX: 0.001, resY: 0.001 } },
      nodata: 0,
      tileSize: 16,
      overviewResampling: 'nearest',
    });
    const tiff = await fromArrayBuffer(toArrayBuffer(bytes));
    const image = await tiff.getImage();
    expect(image.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 });
    expect(Array.from(await image.readRasters({ interleave: true }))).toEqual(Array.from(data));
    expect(await tiff.getImageCount()).toBe(3); // 40x33 -> 20x17 -> 10x9
    const ov = await (await tiff.getImage(1)).readRasters({ interleave: true });
    expect(ov[0]).toBe(data[1]); // top-left is nodata: first valid pixel of the block
    expect(ov[1]).toBe(data[2]);
    expect(ov[20]).toBe(data[2 * w]);
  });

  it('a raster smaller than a 512 px tile gets one tile its size (rounded up to 16), not 512 px of padding', async () => {
    // A scale-out tile: 25 x 25 px of 128 float32 bands (each band was padded to 512 x 512).
    const [w, h, dim] = [25, 25, 128];
    const bands = Array.from({ length: dim }, (_, b) =>
      Float32Array.from({ length: w * h }, (_, i) => b + i / 7),
    );
    const bytes = writeCog({
      width: w,
      height: h,
      bands,
      grid: { epsg: 32632, transform: TRANSFORM },
      nodata: Number.NaN,
      overviewResampling: 'average',
    });
    const tiff = await fromArrayBuffer(toArrayBuffer(bytes));
    const image = await tiff.getImage();
    expect([image.getTileWidth(), image.getTileHeight()]).toEqual([32, 32]);
    expect(await tiff.getImageCount()).toBe(1);
    const read = (await image.readRasters()) as unknown as Float32Array[];
    expect(read[dim - 1]).toEqual(bands[dim - 1]);
    // Under a megabyte (the padded tiles alone were 128 MiB before compression).
    expect(bytes.length).toBeLessThan(2 ** 20);
    // A raster past 512 px in either direction keeps 512 px tiles.
    const wide = writeCog({
      width: 600,
      height: 20,
      data: new Uint16Array(600 * 20),
      grid: { epsg: 32632, transform: TRANSFORM },
      overviewResampling: 'average',
    });
    expect((await (await fromArrayBuffer(toArrayBuffer(wide))).getImage()).getTileWidth()).toBe(512);
  });

  it('refuses bad input with AppError bad-input', () => {
    const grid = { epsg: 32632, transform: TRANSFORM };
    const base = { width: 4, height: 4, grid, overviewResampling: 'average' as const };
    const bad: Partial<CogInput>[] = [
      { data: new Uint16Array(15) },
      { data: new Uint16Array(16), width: Number.NaN },
      { data: new Uint16Array(16), width: Number.POSITIVE_INFINITY },
      { data: new Uint16Array(16), tileSize: 100 },
      { data: new Uint16Array(16), nodata: 70000 },
      { data: new Uint16Array(16), grid: { epsg: 32632, transform: { ...TRANSFORM, resY: -10 } } },
    ];
    for (const extra of bad) {
      expect(() => writeCog({ ...base, data: new Uint16Array(16), ...extra })).toThrow(
        expect.objectContaining({ code: 'bad-input' }),
      );
    }
    for (const data of [new Float64Array(16), new Uint8ClampedArray(16), new Int32Array(16)]) {
      const input: unknown = { ...base, data };
      expect(() => writeCog(input as CogInput)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    }
  });
});

describe('writeCog served over HTTP with Range requests (geotiff.js fromUrl)', () => {
  const data = syntheticU16();
  const bytes = cog(data);
  let server: Server;
  let url = '';
  let servedBytes = 0;
  const ranges: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const header = req.headers.range;
      const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header) : null;
      if (!match) {
        res.writeHead(200, { 'Content-Length': bytes.length, 'Accept-Ranges': 'bytes' });
        servedBytes += bytes.length;
        res.end(Buffer.from(bytes));
        return;
      }
      ranges.push(header ?? '');
      const [, a = '', b = ''] = match;
      // "a-b", "a-" (to the end) and "-n" (last n bytes), clamped to the file.
      const start = a === '' ? Math.max(0, bytes.length - Number(b)) : Number(a);
      const end = a !== '' && b !== '' ? Math.min(Number(b), bytes.length - 1) : bytes.length - 1;
      if (start > end || start >= bytes.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` });
        res.end();
        return;
      }
      const body = bytes.subarray(start, end + 1);
      servedBytes += body.length;
      res.writeHead(206, {
        'Content-Type': 'image/tiff',
        'Content-Length': body.length,
        'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
        'Accept-Ranges': 'bytes',
      });
      res.end(Buffer.from(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/band.tif`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a window through range requests only', async () => {
    const tiff = await fromUrl(url);
    const image = await tiff.getImage();
    expect(image.getOrigin()).toEqual([740350, 5168160, 0]);
    expect(image.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32632);
    const [x0, y0, x1, y1] = [600, 530, 700, 600];
    const window = await image.readRasters({ window: [x0, y0, x1, y1], interleave: true });
    expect(window.width).toBe(x1 - x0);
    expect(window.height).toBe(y1 - y0);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (window[(y - y0) * (x1 - x0) + x - x0] !== data[y * W + x])
          throw new Error(`pixel ${x},${y} differs`);
      }
    }
    expect(ranges.length).toBeGreaterThan(0);
    // One 512x512 tile plus headers: far less than the whole file.
    expect(servedBytes).toBeLessThan(bytes.length);
    const ov = await tiff.getImage(1);
    expect(ov.getWidth()).toBe(500);
  });
});
