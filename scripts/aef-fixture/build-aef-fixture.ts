/**
 * Builds the AlphaEarth fixture tree once per machine (cached under the system's temp folder):
 * the real URL layout `{root}/tge-labs/aef/v1/annual/{year}/{zone}/{name}.tiff` plus
 * `aef_index.parquet` (the real index's columns, one row group per year, written with
 * hyparquet-writer), two UTM zones (32N and 33N, meeting at 12°E over the Dolomites), six
 * tiles per year, two years. Each zone's tiles are masked (-128) outside their zone, as the
 * product's files hold only their zone's pixels. Two broken copies serve the error tests.
 */
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { BBox } from '../../src/lib/geo/index.ts';
import { converter, transformBBox } from '../../src/lib/geo/index.ts';
import { AEF_DIM, AEF_NODATA } from '../../src/lib/precomputed/index.ts';
import { writeAefCog } from './aef-cog.ts';
import { type FieldRegion, type FieldSpec, fieldAt, pyramid, quantise } from './aef-field.ts';

export const FIXTURE_YEARS = [2021, 2022] as const;
export const BASE_PATH = '/tge-labs/aef/v1/annual';
/** Copies of 2022 with one tile deleted / with one tile's pixel data damaged. */
export const MISSING_BASE_PATH = '/broken-missing/v1/annual';
export const CORRUPT_BASE_PATH = '/broken-corrupt/v1/annual';
export const BOUNDARY_LON = 12;
const VERSION = 1;

export interface FixtureTile {
  zone: '32N' | '33N';
  epsg: number;
  /** "{name}.tiff" */
  file: string;
  west: number;
  north: number;
  /** Row/column of the tile in its zone's 2-row layout (for tests). */
  row: number;
  col: number;
}

export interface AefFixture {
  /** Folder to serve at "/". */
  root: string;
  size: number;
  res: number;
  tiles: FixtureTile[];
  /** Centres (lon, lat) of the known features, each a ~4 x 4 px patch of FEATURE_VECTOR. */
  features: [number, number][];
  field: FieldSpec;
  /** Masked (-128) box in WGS84. */
  mask: FieldRegion;
  /** The tile the broken copies miss or damage. */
  brokenTile: string;
}

function layout(size: number, res: number): FixtureTile[] {
  const span = size * res;
  const tiles: FixtureTile[] = [];
  for (const [zone, epsg, cols] of [
    ['32N', 32632, [-1, 0]],
    ['33N', 32633, [0]],
  ] as const) {
    const [xb, yb] = converter(4326, epsg)([BOUNDARY_LON, 46.5]);
    const x0 = Math.floor(xb / span) * span;
    const top = Math.ceil(yb / span) * span;
    for (const row of [0, 1]) {
      for (const c of cols) {
        const west = x0 + c * span;
        const north = top - row * span;
        const hash = `${zone}${row}${c + 1}`.padEnd(16, 'q');
        const offset = (v: number) => String(v).padStart(10, '0');
        tiles.push({
          zone,
          epsg,
          file: `x${hash}-${offset(row * size)}-${offset((c + 1) * size)}.tiff`,
          west,
          north,
          row,
          col: c + 1,
        });
      }
    }
  }
  return tiles;
}

function boxAround(epsg: number, x: number, y: number, half: number): FieldRegion {
  const [w, s, e, n] = transformBBox([x - half, y - half, x + half, y + half], epsg, 4326);
  return { box: [w, s, e, n] };
}

function regions(tiles: FixtureTile[], size: number, res: number) {
  const span = size * res;
  const t32 = tiles.find((t) => t.zone === '32N' && t.row === 0 && t.col === 0)!;
  const t33 = tiles.find((t) => t.zone === '33N' && t.row === 0)!;
  const featureAt: [number, number, number][] = [
    [32632, t32.west + 1005, t32.north - 305],
    [32633, t33.west + span - 805, t33.north - 2005],
  ];
  const toLonLat = (epsg: number, x: number, y: number) => converter(epsg, 4326)([x, y]);
  const features = featureAt.map(([epsg, x, y]) => toLonLat(epsg, x, y));
  const field: FieldSpec = {
    features: featureAt.map(([epsg, x, y]) => boxAround(epsg, x, y, 20)),
    change: boxAround(32632, t32.west + 0.6 * span, t32.north - 1.5 * span, 0.15 * span),
  };
  const mask = boxAround(32632, t32.west + 0.3 * span, t32.north - 1.4 * span, 0.05 * span);
  return { features, field, mask, t32 };
}

function inBox(r: FieldRegion, lon: number, lat: number): boolean {
  return lon >= r.box[0] && lon < r.box[2] && lat >= r.box[1] && lat < r.box[3];
}

/**
 * One tile's COG for a year, and whether any of its pixels lies in the changed area (the only
 * place where years differ: a tile that has none is the same file every year).
 */
async function tileBytes(
  tile: FixtureTile,
  year: number,
  fx: Omit<AefFixture, 'root'>,
): Promise<{ bytes: Uint8Array; changes: boolean }> {
  const { size, res } = fx;
  let changes = false;
  const data = new Int8Array(size * size * AEF_DIM);
  const toLonLat = converter(tile.epsg, 4326);
  const v = new Float64Array(AEF_DIM);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const [lon, lat] = toLonLat([tile.west + (c + 0.5) * res, tile.north - (r + 0.5) * res]);
      const at = (r * size + c) * AEF_DIM;
      const outside = tile.zone === '32N' ? lon >= BOUNDARY_LON : lon < BOUNDARY_LON;
      if (outside || inBox(fx.mask, lon, lat)) {
        data.fill(AEF_NODATA, at, at + AEF_DIM);
        continue;
      }
      if (!changes && inBox(fx.field.change, lon, lat)) changes = true;
      fieldAt(fx.field, lon, lat, year, v);
      for (let d = 0; d < AEF_DIM; d++) data[at + d] = quantise(v[d]!);
    }
  }
  const bytes = await writeAefCog({
    levels: pyramid({ width: size, height: size, data }),
    epsg: tile.epsg,
    west: tile.west,
    south: tile.north - size * res,
    res,
  });
  return { bytes, changes };
}

/** One index row: a file of a year in a zone with its UTM extent. */
interface IndexRow {
  year: number;
  zone: string;
  epsg: number;
  file: string;
  utm: BBox;
}

/**
 * Rows for files elsewhere in the world (never fetched): they give the index the real one's
 * shape (many rows, one row group per year, years 2018–2024) so a query must skip most of it.
 */
function elsewhere(years: readonly number[]): IndexRow[] {
  const rows: IndexRow[] = [];
  for (const year of years) {
    for (let i = 0; i < 300; i++) {
      const zone = 1 + ((i * 7) % 60);
      if (zone >= 31 && zone <= 34) continue;
      const north = i % 2 === 0;
      const x = 200_000 + (i % 7) * 81_920;
      const y = north ? 1_000_000 + (i % 50) * 81_920 : 6_000_000 + (i % 40) * 81_920;
      rows.push({
        year,
        zone: `${zone}${north ? 'N' : 'S'}`,
        epsg: (north ? 32600 : 32700) + zone,
        file: `xelsewhere${String(i).padStart(7, '0')}-0000000000-0000000000.tiff`,
        utm: [x, y, x + 81_920, y + 81_920],
      });
    }
  }
  return rows;
}

function indexParquet(tiles: FixtureTile[], years: readonly number[], size: number, res: number): Uint8Array {
  const span = size * res;
  const all = [...new Set([2018, 2019, 2020, 2023, 2024, ...years])].sort();
  const rows = all.flatMap((year) => [
    ...(years.includes(year)
      ? tiles.map((t) => ({
          year,
          zone: t.zone,
          epsg: t.epsg,
          file: t.file,
          utm: [t.west, t.north - span, t.west + span, t.north] as BBox,
        }))
      : []),
    ...elsewhere([year]),
  ]);
  const utm = rows.map((r) => r.utm);
  const wgs = rows.map((r) => transformBBox(r.utm, r.epsg, 4326));
  const col = (i: number, boxes: BBox[]) => Float64Array.from(boxes.map((b) => b[i]!));
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'fid', data: BigInt64Array.from(rows.map((_, i) => BigInt(i))), type: 'INT64' },
      {
        name: 'path',
        data: rows.map(
          (r) => `gs://alphaearth_foundations/satellite_embedding/v1/annual/${r.year}/${r.zone}/${r.file}`,
        ),
        type: 'STRING',
      },
      { name: 'year', data: BigInt64Array.from(rows.map((r) => BigInt(r.year))), type: 'INT64' },
      { name: 'crs', data: rows.map((r) => `EPSG:${r.epsg}`), type: 'STRING' },
      { name: 'utm_zone', data: rows.map((r) => r.zone), type: 'STRING' },
      { name: 'wgs84_west', data: col(0, wgs), type: 'DOUBLE' },
      { name: 'wgs84_south', data: col(1, wgs), type: 'DOUBLE' },
      { name: 'wgs84_east', data: col(2, wgs), type: 'DOUBLE' },
      { name: 'wgs84_north', data: col(3, wgs), type: 'DOUBLE' },
      { name: 'utm_west', data: col(0, utm), type: 'DOUBLE' },
      { name: 'utm_south', data: col(1, utm), type: 'DOUBLE' },
      { name: 'utm_east', data: col(2, utm), type: 'DOUBLE' },
      { name: 'utm_north', data: col(3, utm), type: 'DOUBLE' },
      {
        name: 'geometry',
        data: wgs.map(([w, s, e, n]) => ({
          type: 'Polygon',
          coordinates: [
            [
              [w, s],
              [e, s],
              [e, n],
              [w, n],
              [w, s],
            ],
          ],
        })),
        type: 'GEOMETRY',
      },
    ],
    // One row group per year, as a year filter then reads one group.
    rowGroupSize: all.map((year) => rows.filter((r) => r.year === year).length),
  });
  return new Uint8Array(buffer);
}

/** Index files, rewritten atomically on every use (cheap; the tiles are what is cached). */
async function writeIndexes(root: string, fx: Omit<AefFixture, 'root'>): Promise<void> {
  const write = async (path: string, bytes: Uint8Array) => {
    const temp = `${path}.${process.pid}.tmp`;
    await put(temp, bytes);
    await rename(temp, path);
  };
  await write(
    join(root, BASE_PATH, 'aef_index.parquet'),
    indexParquet(fx.tiles, FIXTURE_YEARS, fx.size, fx.res),
  );
  for (const variant of [MISSING_BASE_PATH, CORRUPT_BASE_PATH])
    await write(join(root, variant, 'aef_index.parquet'), indexParquet(fx.tiles, [2022], fx.size, fx.res));
}

async function put(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

async function build(dir: string, fx: Omit<AefFixture, 'root'>): Promise<void> {
  const base = join(dir, BASE_PATH);
  // Years differ only in the changed area: a tile clear of it is computed once (~40% of the
  // build saved; the bytes are identical to computing it again).
  const unchanged = new Map<string, Uint8Array>();
  for (const year of FIXTURE_YEARS)
    for (const tile of fx.tiles) {
      const key = `${tile.zone}/${tile.file}`;
      let bytes = unchanged.get(key);
      if (!bytes) {
        const built = await tileBytes(tile, year, fx);
        bytes = built.bytes;
        if (!built.changes) unchanged.set(key, bytes);
      }
      await put(join(base, String(year), tile.zone, tile.file), bytes);
    }
  await writeFile(join(dir, 'complete'), 'ok');
}

/** Overwrites the Zstandard magic of the last `count` frames: those blocks cannot decode. */
function damageLastFrames(bytes: Uint8Array, count: number): Uint8Array {
  const starts: number[] = [];
  for (let i = 0; i + 3 < bytes.length; i++)
    if (bytes[i] === 0x28 && bytes[i + 1] === 0xb5 && bytes[i + 2] === 0x2f && bytes[i + 3] === 0xfd)
      starts.push(i);
  for (const at of starts.slice(-count)) bytes.set([0xde, 0xad, 0xbe, 0xef], at);
  return bytes;
}

/**
 * The broken copies (2022 only): one without the broken tile (HTTP 404), one whose broken tile
 * has its full-resolution blocks damaged (the header intact). Other files are hard links.
 */
async function brokenCopies(root: string, fx: Omit<AefFixture, 'root'>): Promise<void> {
  const marker = join(root, 'broken-v2');
  if (existsSync(marker)) return;
  const work = `${root}/.broken.${process.pid}.${Date.now()}`;
  for (const variant of [MISSING_BASE_PATH, CORRUPT_BASE_PATH]) {
    for (const tile of fx.tiles) {
      const rel = join('2022', tile.zone, tile.file);
      const from = join(root, BASE_PATH, rel);
      const to = join(work, variant, rel);
      if (tile.file === fx.brokenTile && variant === MISSING_BASE_PATH) continue;
      await mkdir(dirname(to), { recursive: true });
      if (tile.file !== fx.brokenTile) await link(from, to);
      else await writeFile(to, damageLastFrames(new Uint8Array(await readFile(from)), 4));
    }
  }
  for (const variant of ['/broken-missing', '/broken-corrupt'])
    await rename(join(work, variant), join(root, variant)).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
  await writeFile(marker, 'ok');
}

/** Runs `task` while holding a lock folder; a lock older than 15 minutes is a crashed holder's. */
async function withLock(lock: string, task: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (since > 15 * 60_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await task();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The fixture (built on first use, then reused); `size` px per tile side at 10 m. */
export async function aefFixture(size = 512): Promise<AefFixture> {
  const res = 10;
  const tiles = layout(size, res);
  const { features, field, mask, t32 } = regions(tiles, size, res);
  const fx = { size, res, tiles, features, field, mask, brokenTile: t32.file };
  const root = join(tmpdir(), `eee-aef-fixture-v${VERSION}-${size}`);
  // Test files run in parallel workers: one builds, the others wait for it.
  await withLock(`${root}.lock`, async () => {
    if (!existsSync(join(root, 'complete'))) {
      const work = `${root}.${process.pid}.${Date.now()}`;
      await build(work, fx);
      await rm(root, { recursive: true, force: true }); // a build cut off earlier
      await rename(work, root);
    }
    await brokenCopies(root, fx);
    await writeIndexes(root, fx);
  });
  return { root, ...fx };
}
