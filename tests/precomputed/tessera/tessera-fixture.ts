import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeoTransform } from '../../../src/lib/geo/index.ts';
import { converter } from '../../../src/lib/geo/index.ts';
import { mulberry32 } from '../../../src/lib/math/index.ts';
import {
  type ArraySpec,
  arrayMetadata,
  groupMetadata,
  writeJson,
  writeShard,
  writeSmallArray,
} from './zarr-v3-writer.ts';

/**
 * A small TESSERA store, byte-faithful to the published one (ucam-eo/geotessera
 * `geotessera/zarr.py`: `init_store`, `_create_zone_group`) except for its size: zone groups
 * `utm{NN}` on the zone's northern EPSG code (southern pixels at negative northings), int8
 * embeddings (T, 128, H, W) in (1,128,32,32) inner chunks of (1,128,S,S) shards (S = 128 here,
 * 4096 in the real store), float32 scales (T, H, W) with fill +inf, blosc zstd level 3, shard
 * index with CRC-32C at the end, chunks equal to the fill value not stored, the `time`, `x`,
 * `y`, `band` coordinate arrays, `proj:`/`spatial:` zone attributes, `geoemb:` root
 * attributes and inline consolidated metadata. The content is synthetic and known exactly:
 * `truth()` gives every stored value.
 */

export interface FixtureZoneSpec {
  zone: number;
  /** Longitude/latitude the zone's grid is centred on. */
  centre: [number, number];
  width: number;
  height: number;
}

export interface FixtureZone extends FixtureZoneSpec {
  epsg: number;
  transform: GeoTransform;
}

export interface FixtureOptions {
  /** v2 stores: Matryoshka prefixes written as their own arrays `embeddings_d{D}` (e.g. [4, 16]). */
  depths?: number[];
  zones?: FixtureZoneSpec[];
  years?: number[];
  shard?: number;
}

/** Two zones meeting at 6°E (45°N), and zone 36 across the equator at 33°E. */
export const DEFAULT_ZONES: FixtureZoneSpec[] = [
  { zone: 31, centre: [6, 45], width: 256, height: 128 },
  { zone: 32, centre: [6, 45], width: 256, height: 256 },
  { zone: 36, centre: [33, 0], width: 128, height: 256 },
];

export const DIM = 128;
const CHUNK = 32;
const PIXEL = 10;

/** Deterministic band frequencies (cycles per degree) and phases. */
const rng = mulberry32(11);
const FX = Float64Array.from({ length: DIM }, () => (rng() < 0.5 ? -1 : 1) * (5 + 25 * rng()));
const FY = Float64Array.from({ length: DIM }, () => (rng() < 0.5 ? -1 : 1) * (5 + 25 * rng()));
const PHASE = Float64Array.from({ length: DIM }, () => 2 * Math.PI * rng());

export interface PixelTruth {
  /** NaN = water, +inf = no data, else the scale. */
  scale: number;
  q: Int8Array;
}

/** What the fixture stores at a zone pixel for year index `t`. */
export class TesseraFixture {
  readonly zones: FixtureZone[];
  constructor(
    readonly dir: string,
    zones: FixtureZoneSpec[],
    readonly years: number[],
    readonly shard: number,
  ) {
    this.zones = zones.map((spec) => {
      const epsg = 32600 + spec.zone;
      const [x, y] = converter(4326, epsg)(spec.centre);
      const originX = Math.round((x - (spec.width * PIXEL) / 2) / PIXEL) * PIXEL;
      const originY = Math.round((y + (spec.height * PIXEL) / 2) / PIXEL) * PIXEL;
      return { ...spec, epsg, transform: { originX, originY, resX: PIXEL, resY: PIXEL } };
    });
  }

  zone(zone: number): FixtureZone {
    return this.zones.find((z) => z.zone === zone)!;
  }

  /** Inner chunk (row, col) with no data at all in zone 31: it is not stored. */
  static readonly EMPTY_CHUNK = { zone: 31, cr: 3, cc: 1 };
  /** Zone 32's shard (1, 1) holds no data: no object (404). */
  static readonly EMPTY_SHARD = { zone: 32, sr: 1, sc: 1 };

  private lattices = new Map<number, Float64Array>();

  /**
   * Longitude/latitude of a pixel centre: exact at every 32nd pixel corner, bilinear between
   * (under a millimetre off at 10 m pixels, and continuous, which is all the content needs).
   */
  lonLat(zone: number, row: number, col: number): [number, number] {
    const z = this.zone(zone);
    const cols = Math.ceil(z.width / CHUNK) + 1;
    let lattice = this.lattices.get(zone);
    if (!lattice) {
      const rows = Math.ceil(z.height / CHUNK) + 1;
      lattice = new Float64Array(rows * cols * 2);
      const toWgs = converter(z.epsg, 4326);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const [lon, lat] = toWgs([
            z.transform.originX + c * CHUNK * PIXEL,
            z.transform.originY - r * CHUNK * PIXEL,
          ]);
          lattice[(r * cols + c) * 2] = lon;
          lattice[(r * cols + c) * 2 + 1] = lat;
        }
      }
      this.lattices.set(zone, lattice);
    }
    const fr = (row + 0.5) / CHUNK;
    const fc = (col + 0.5) / CHUNK;
    const r0 = Math.floor(fr);
    const c0 = Math.floor(fc);
    const wr = fr - r0;
    const wc = fc - c0;
    const at = (r: number, c: number, k: number) => lattice[(r * cols + c) * 2 + k]!;
    const mix = (k: number) =>
      (1 - wr) * ((1 - wc) * at(r0, c0, k) + wc * at(r0, c0 + 1, k)) +
      wr * ((1 - wc) * at(r0 + 1, c0, k) + wc * at(r0 + 1, c0 + 1, k));
    return [mix(0), mix(1)];
  }

  truth(zone: number, t: number, row: number, col: number): PixelTruth {
    const z = this.zone(zone);
    const x = z.transform.originX + (col + 0.5) * PIXEL;
    const y = z.transform.originY - (row + 0.5) * PIXEL;
    const q = new Int8Array(DIM);
    const e = TesseraFixture.EMPTY_CHUNK;
    const s = TesseraFixture.EMPTY_SHARD;
    const sr = Math.floor(row / this.shard);
    const sc = Math.floor(col / this.shard);
    if (
      (zone === e.zone && Math.floor(row / CHUNK) === e.cr && Math.floor(col / CHUNK) === e.cc) ||
      (zone === s.zone && sr === s.sr && sc === s.sc)
    ) {
      return { scale: Number.POSITIVE_INFINITY, q };
    }
    // A lake of 150 m radius 300 m north-west of the grid's centre.
    const cx = z.transform.originX + (z.width * PIXEL) / 2 - 300;
    const cy = z.transform.originY - (z.height * PIXEL) / 2 + 300;
    if (Math.hypot(x - cx, y - cy) < 150) return { scale: Number.NaN, q };
    const [lon, lat] = this.lonLat(zone, row, col);
    return {
      scale: TesseraFixture.scaleAt(lat),
      q: TesseraFixture.vectorAt(lon, lat, t, this.changed(zone, t, row, col)),
    };
  }

  /** Year 2 flips the vectors in a 300 m square 300 m south-east of the grid's centre. */
  changed(zone: number, t: number, row: number, col: number): boolean {
    const z = this.zone(zone);
    const x = (col + 0.5) * PIXEL - (z.width * PIXEL) / 2;
    const y = (z.height * PIXEL) / 2 - (row + 0.5) * PIXEL;
    return t > 0 && Math.abs(x - 300) < 150 && Math.abs(y + 300) < 150;
  }

  static scaleAt(lat: number): number {
    return 0.06 + 0.02 * Math.sin(2 * Math.PI * 20 * lat);
  }

  /** The int8 vector at a place: smooth in longitude/latitude, so continuous across zones. */
  static vectorAt(lon: number, lat: number, t: number, flipped = false): Int8Array {
    const q = new Int8Array(DIM);
    for (let b = 0; b < DIM; b++) {
      const v = Math.sin(2 * Math.PI * (FX[b]! * lon + FY[b]! * lat) + PHASE[b]! + 0.3 * t);
      q[b] = Math.round((flipped ? -100 : 100) * v);
    }
    return q;
  }
}

function zoneAttributes(z: FixtureZone): Record<string, unknown> {
  const t = z.transform;
  const bbox = [t.originX, t.originY - z.height * PIXEL, t.originX + z.width * PIXEL, t.originY];
  return {
    zarr_conventions: [
      { name: 'spatial:', description: 'Spatial coordinate information' },
      { name: 'proj:', description: 'Coordinate reference system information for geospatial data' },
    ],
    'spatial:dimensions': ['y', 'x'],
    'spatial:bbox': bbox,
    'spatial:transform_type': 'affine',
    'spatial:transform': [PIXEL, 0, t.originX, 0, -PIXEL, t.originY],
    'spatial:shape': [z.height, z.width],
    'spatial:registration': 'pixel',
    'proj:code': `EPSG:${z.epsg}`,
  };
}

const ROOT_ATTRIBUTES = {
  zarr_conventions: [
    {
      uuid: '61c12cc5-0e28-4056-999a-480cf3fb7e4c',
      name: 'geoemb:',
      description: 'Geoembeddings convention for geospatial embedding arrays with model provenance',
    },
  ],
  'geoemb:type': 'pixel',
  'geoemb:dimensions': DIM,
  'geoemb:model': 'https://geotessera.org/model/1.0',
  'geoemb:data_type': 'int8',
  'geoemb:gsd': 10.0,
  'geoemb:spatial_layout': 'utm_zones',
  'geoemb:build_version': 'fixture',
  'geoemb:quantization': {
    method: 'per_pixel_scale',
    original_dtype: 'float32',
    quantized_dtype: 'int8',
    scale: { type: 'array', array_name: 'scales', nodata: '+inf' },
  },
};

/**
 * geotessera's `depth_inner_chunk`: the largest power-of-two side s with D * s² <= 128 KiB,
 * clamped to [32, shard] (docs/specs/zarr-matryoshka-depths.md).
 */
export function depthInnerChunk(dimensions: number, shard: number): number {
  let side = 32;
  while (side * 2 <= shard && dimensions * (side * 2) ** 2 <= 128 * 1024) side *= 2;
  return side;
}

/** Writes the store into `dir` (the folder that plays `.../tessera/zarr/v1`). */
export async function writeTesseraFixture(
  dir: string,
  options: FixtureOptions = {},
): Promise<TesseraFixture> {
  const years = options.years ?? [2023, 2024];
  const shard = options.shard ?? 128;
  const fixture = new TesseraFixture(dir, options.zones ?? DEFAULT_ZONES, years, shard);
  const T = years.length;
  const consolidated: Record<string, unknown> = {};
  for (const z of fixture.zones) {
    const group = `utm${String(z.zone).padStart(2, '0')}`;
    const specs: Record<string, ArraySpec> = {
      embeddings: {
        shape: [T, DIM, z.height, z.width],
        dtype: 'int8',
        chunks: [1, DIM, shard, shard],
        innerChunks: [1, DIM, CHUNK, CHUNK],
        fillValue: 0,
        dimensionNames: ['time', 'band', 'y', 'x'],
      },
      scales: {
        shape: [T, z.height, z.width],
        dtype: 'float32',
        chunks: [1, shard, shard],
        innerChunks: [1, CHUNK, CHUNK],
        fillValue: Number.POSITIVE_INFINITY,
        dimensionNames: ['time', 'y', 'x'],
      },
    };
    for (const d of options.depths ?? []) {
      const side = depthInnerChunk(d, shard);
      specs[`embeddings_d${d}`] = {
        shape: [T, d, z.height, z.width],
        dtype: 'int8',
        chunks: [1, d, shard, shard],
        innerChunks: [1, d, side, side],
        fillValue: 0,
        dimensionNames: ['time', `band_d${d}`, 'y', 'x'],
      };
    }
    const small = (n: number, dtype: ArraySpec['dtype'], dim: string): ArraySpec => ({
      shape: [n],
      dtype,
      chunks: [n],
      fillValue: 0,
      dimensionNames: [dim],
    });
    const coords: [string, ArraySpec, Int32Array | Float64Array][] = [
      ['time', small(T, 'int32', 'time'), Int32Array.from(years)],
      ['band', small(DIM, 'int32', 'band'), Int32Array.from({ length: DIM }, (_, i) => i)],
      [
        'x',
        small(z.width, 'float64', 'x'),
        Float64Array.from({ length: z.width }, (_, i) => z.transform.originX + (i + 0.5) * PIXEL),
      ],
      [
        'y',
        small(z.height, 'float64', 'y'),
        Float64Array.from({ length: z.height }, (_, i) => z.transform.originY - (i + 0.5) * PIXEL),
      ],
    ];
    const groupDoc = groupMetadata(zoneAttributes(z));
    await writeJson(join(dir, group, 'zarr.json'), groupDoc);
    consolidated[group] = groupDoc;
    for (const [name, spec] of Object.entries(specs)) {
      const doc = arrayMetadata(spec);
      await writeJson(join(dir, group, name, 'zarr.json'), doc);
      consolidated[`${group}/${name}`] = doc;
    }
    for (const [name, spec, data] of coords) {
      await writeSmallArray(dir, `${group}/${name}`, spec, data);
      consolidated[`${group}/${name}`] = arrayMetadata(spec);
    }
    await writeZoneData(fixture, z, group, specs);
  }
  const depths = options.depths?.length
    ? {
        'geoemb:depths': [
          ...options.depths.map((d) => ({ dimensions: d, array: `embeddings_d${d}` })),
          { dimensions: DIM, array: 'embeddings' },
        ],
      }
    : {};
  await writeJson(join(dir, 'zarr.json'), {
    attributes: { ...ROOT_ATTRIBUTES, ...depths },
    zarr_format: 3,
    consolidated_metadata: { kind: 'inline', must_understand: false, metadata: consolidated },
    node_type: 'group',
  });
  return fixture;
}

async function writeZoneData(
  fixture: TesseraFixture,
  z: FixtureZone,
  group: string,
  specs: Record<string, ArraySpec>,
): Promise<void> {
  const S = fixture.shard;
  for (let t = 0; t < fixture.years.length; t++) {
    for (let sr = 0; sr < Math.ceil(z.height / S); sr++) {
      for (let sc = 0; sc < Math.ceil(z.width / S); sc++) {
        // The shard's pixels, computed once, then cut into inner chunks.
        const emb = new Int8Array(DIM * S * S);
        const scales = new Float32Array(S * S).fill(Number.POSITIVE_INFINITY);
        for (let r = 0; r < S && sr * S + r < z.height; r++) {
          for (let c = 0; c < S && sc * S + c < z.width; c++) {
            const truth = fixture.truth(z.zone, t, sr * S + r, sc * S + c);
            scales[r * S + c] = truth.scale;
            for (let b = 0; b < DIM; b++) emb[(b * S + r) * S + c] = truth.q[b]!;
          }
        }
        const cut = (chunk: number[], bands: number, side: number) => {
          const [cr, cc] = chunk.slice(-2) as [number, number];
          const r0 = cr * side - sr * S;
          const c0 = cc * side - sc * S;
          const out = bands ? new Int8Array(bands * side * side) : new Float32Array(side * side);
          for (let b = 0; b < Math.max(1, bands); b++) {
            for (let r = 0; r < side; r++) {
              for (let c = 0; c < side; c++) {
                const from = ((bands ? b * S : 0) + r0 + r) * S + c0 + c;
                out[(b * side + r) * side + c] = bands ? emb[from]! : scales[from]!;
              }
            }
          }
          return out;
        };
        // Depth arrays first, the full depth last: geotessera's write order.
        for (const [name, spec] of Object.entries(specs).filter(([n]) => n.startsWith('embeddings_d'))) {
          await writeShard(fixture.dir, `${group}/${name}`, spec, [t, 0, sr, sc], (ch) =>
            cut(ch, spec.shape[1]!, spec.innerChunks![2]!),
          );
        }
        await writeShard(fixture.dir, `${group}/embeddings`, specs.embeddings!, [t, 0, sr, sc], (ch) =>
          cut(ch, DIM, CHUNK),
        );
        await writeShard(fixture.dir, `${group}/scales`, specs.scales!, [t, sr, sc], (ch) =>
          cut(ch, 0, CHUNK),
        );
      }
    }
  }
}

/**
 * The default fixture, written once into the OS temp folder and reused by every test file and
 * run (writing it takes ~20 s on a loaded 2-core machine). The folder name carries a hash of
 * the writer's and this file's sources, so a change to either writes a fresh one; it is built
 * beside and renamed into place, so parallel test files never see half a store.
 */
export async function cachedTesseraFixture(): Promise<TesseraFixture> {
  const sources = ['tessera-fixture.ts', 'zarr-v3-writer.ts'].map((f) =>
    readFileSync(join(import.meta.dirname, f)),
  );
  const hash = createHash('sha256').update(Buffer.concat(sources)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `tessera-fixture-${hash}`);
  if (!existsSync(join(dir, 'zarr.json'))) {
    const building = await mkdtemp(`${dir}-building-`);
    await writeTesseraFixture(building);
    await rename(building, dir).catch(() => rm(building, { recursive: true, force: true }));
    // Stores of earlier source versions are never read again.
    for (const name of await readdir(tmpdir())) {
      if (/^tessera-fixture-[0-9a-f]{12}$/.test(name) && join(tmpdir(), name) !== dir) {
        await rm(join(tmpdir(), name), { recursive: true, force: true });
      }
    }
  }
  return new TesseraFixture(dir, DEFAULT_ZONES, [2023, 2024], 128);
}
