/**
 * Writes a GeoTIFF shaped like an AlphaEarth Foundations annual COG (Satellite Embedding V1)
 * for tests and benchmarks: 64 int8 bands A00..A63 stored pixel-interleaved in 256 x 256 tiles,
 * Zstandard-compressed, GDAL_NODATA -128, internal overviews down to 1 x 1, and rows stored
 * BOTTOM-UP: a ModelTransformation with a positive y step whose origin is the south-west
 * corner, blocks ordered from the bottom-left, as the Source Cooperative mirror's files are.
 * Only the pixel size differs from the real 8192 x 8192 files (a parameter).
 */
import Zstd from 'numcodecs/zstd';
import {
  gdalMetadataXml,
  ifdByteLength,
  TIFF_ASCII,
  TIFF_DOUBLE,
  TIFF_LONG,
  TIFF_SHORT,
  type TiffTag,
  writeIfd,
} from '../../src/lib/cog/index.ts';
import { AEF_BAND_NAMES, AEF_DIM, AEF_NODATA } from '../../src/lib/precomputed/index.ts';

/** One level, picture order (north row first), pixel-interleaved: data[(row * width + col) * 64 + d]. */
export interface AefLevel {
  width: number;
  height: number;
  data: Int8Array;
}

export interface AefCogInput {
  /** Full resolution first, then each overview. */
  levels: readonly AefLevel[];
  epsg: number;
  /** West edge and SOUTH edge of the picture (the bottom-up origin), pixel size in metres. */
  west: number;
  south: number;
  res: number;
  tileSize?: number;
}

const zstd = Zstd.fromConfig({ id: 'zstd', level: 3 });

/** The blocks of one level in stored order: stored row 0 is the picture's southernmost row. */
async function encodeBlocks(level: AefLevel, tile: number): Promise<Uint8Array[]> {
  const across = Math.ceil(level.width / tile);
  const down = Math.ceil(level.height / tile);
  const out: Uint8Array[] = [];
  for (let by = 0; by < down; by++) {
    for (let bx = 0; bx < across; bx++) {
      const block = new Int8Array(tile * tile * AEF_DIM).fill(AEF_NODATA);
      for (let r = 0; r < tile; r++) {
        const stored = by * tile + r;
        if (stored >= level.height) break;
        const picture = level.height - 1 - stored;
        const c0 = bx * tile;
        const cols = Math.min(tile, level.width - c0);
        const from = (picture * level.width + c0) * AEF_DIM;
        block.set(level.data.subarray(from, from + cols * AEF_DIM), r * tile * AEF_DIM);
      }
      out.push(await zstd.encode(new Uint8Array(block.buffer)));
    }
  }
  return out;
}

function geoKeys(epsg: number): number[] {
  const keys: [number, number][] = [
    [1024, 1], // GTModelTypeGeoKey: projected
    [1025, 1], // GTRasterTypeGeoKey: PixelIsArea
    [3072, epsg], // ProjectedCSTypeGeoKey
    [3076, 9001], // ProjLinearUnitsGeoKey: metre
  ];
  return [1, 1, 0, keys.length, ...keys.flatMap(([k, v]) => [k, 0, 1, v])];
}

function tagsOf(
  input: AefCogInput,
  level: AefLevel,
  index: number,
  offsets: number[],
  counts: number[],
): TiffTag[] {
  const tile = input.tileSize ?? 256;
  const per = (v: number) => new Array<number>(AEF_DIM).fill(v);
  const tags: TiffTag[] = [
    { tag: 254, type: TIFF_LONG, value: [index > 0 ? 1 : 0] },
    { tag: 256, type: TIFF_LONG, value: [level.width] },
    { tag: 257, type: TIFF_LONG, value: [level.height] },
    { tag: 258, type: TIFF_SHORT, value: per(8) },
    { tag: 259, type: TIFF_SHORT, value: [50000] }, // Compression: Zstandard
    { tag: 262, type: TIFF_SHORT, value: [1] },
    { tag: 277, type: TIFF_SHORT, value: [AEF_DIM] },
    { tag: 284, type: TIFF_SHORT, value: [1] }, // PlanarConfiguration: pixel-interleaved
    { tag: 322, type: TIFF_SHORT, value: [tile] },
    { tag: 323, type: TIFF_SHORT, value: [tile] },
    { tag: 324, type: TIFF_LONG, value: offsets },
    { tag: 325, type: TIFF_LONG, value: counts },
    { tag: 338, type: TIFF_SHORT, value: per(0).slice(1) },
    { tag: 339, type: TIFF_SHORT, value: per(2) }, // SampleFormat: signed integer
    { tag: 42113, type: TIFF_ASCII, value: String(AEF_NODATA) },
  ];
  if (index === 0) {
    const r = input.res;
    // Bottom-up: y grows with the row, from the south edge.
    const matrix = [r, 0, 0, input.west, 0, r, 0, input.south, 0, 0, 0, 0, 0, 0, 0, 1];
    const xml = gdalMetadataXml(
      undefined,
      AEF_BAND_NAMES.map((description) => ({ description })),
    );
    tags.push(
      { tag: 34264, type: TIFF_DOUBLE, value: matrix },
      { tag: 34735, type: TIFF_SHORT, value: geoKeys(input.epsg) },
      { tag: 42112, type: TIFF_ASCII, value: xml ?? '' },
    );
  }
  return tags;
}

/** The whole file: header, every IFD, then tile data from the smallest overview up. */
export async function writeAefCog(input: AefCogInput): Promise<Uint8Array> {
  const tile = input.tileSize ?? 256;
  const blocks = await Promise.all(input.levels.map((l) => encodeBlocks(l, tile)));
  const zeros = (n: number) => new Array<number>(n).fill(0);
  const ifdOffsets: number[] = [];
  let cursor = 8;
  input.levels.forEach((level, i) => {
    ifdOffsets.push(cursor);
    const n = blocks[i]!.length;
    cursor += ifdByteLength(tagsOf(input, level, i, zeros(n), zeros(n)));
    cursor += cursor % 2;
  });
  const offsets = input.levels.map(() => [] as number[]);
  for (let i = input.levels.length - 1; i >= 0; i--) {
    for (const b of blocks[i]!) {
      offsets[i]!.push(cursor);
      cursor += b.length;
    }
  }
  const bytes = new Uint8Array(cursor);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49]);
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffsets[0]!, true);
  input.levels.forEach((level, i) => {
    const counts = blocks[i]!.map((b) => b.length);
    writeIfd(view, ifdOffsets[i]!, tagsOf(input, level, i, offsets[i]!, counts), ifdOffsets[i + 1] ?? 0);
    blocks[i]!.forEach((b, j) => {
      bytes.set(b, offsets[i]![j]!);
    });
  });
  return bytes;
}
