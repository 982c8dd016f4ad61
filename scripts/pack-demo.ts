/**
 * Builds the demo offline packs from the real Sentinel-2 data in ../shared/data:
 *   packs/dolomites-2022-06/   B02/B03/B04/B08 of a June 2022 L2A scene (Float32 strips -> UInt16 COGs)
 *   packs/s2-29rkh-2020-02/    every reflectance band + SCL of S2A_29RKH_20200219 (10x downsampled)
 * Run: npx tsx scripts/pack-demo.ts   (idempotent: each pack folder is replaced;
 *      PACK_DATA_DIR overrides the source data folder)
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fromFile } from 'geotiff';
import { type CogData, sampleLayout } from '../src/lib/cog/index.ts';
import type { GridSpec } from '../src/lib/geo/index.ts';
import {
  buildAsset,
  buildPack,
  monthInterval,
  type PackBand,
  type PackResult,
  parseStacItem,
  s2Asset,
  s2BandByKey,
  toUint16Dn,
} from '../src/lib/pack/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATA_DIR = path.resolve(ROOT, '../shared/data');
export const DEFAULT_PACKS_DIR = path.join(ROOT, 'packs');
export const DOLOMITES_DIR = 's2/dolomites-2022-06';
export const RKH_DIR = 's2/S2A_29RKH_20200219_L2A';
const RKH_ITEM = 'S2A_29RKH_20200219_0_L2A.json';
const ATTRIBUTION = 'Contains modified Copernicus Sentinel data';

export interface SourceBand {
  grid: GridSpec;
  data: CogData;
  nodata: number | null;
}

/** Reads band 1 of a single-band GeoTIFF with its grid (EPSG from the GeoKeys). */
export async function readSourceBand(file: string): Promise<SourceBand> {
  const tiff = await fromFile(file);
  try {
    const image = await tiff.getImage();
    if (image.getSamplesPerPixel() !== 1) throw new Error(`${file}: expected a single-band GeoTIFF.`);
    const keys = image.getGeoKeys();
    const epsg: unknown = keys?.ProjectedCSTypeGeoKey ?? keys?.GeographicTypeGeoKey;
    if (typeof epsg !== 'number') throw new Error(`${file}: no EPSG code in its GeoKeys.`);
    const [originX, originY] = image.getOrigin();
    // geotiff.js reports the y resolution negative (north-up); GeoTransform wants it positive.
    const [resX, negResY] = image.getResolution();
    if (originX === undefined || originY === undefined || resX === undefined || negResY === undefined) {
      throw new Error(`${file}: incomplete georeferencing.`);
    }
    const data = await image.readRasters({ interleave: true });
    if (
      !(data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Int16Array) &&
      !(data instanceof Float32Array)
    ) {
      throw new Error(`${file}: unsupported pixel type ${data.constructor.name}.`);
    }
    const width = image.getWidth();
    const height = image.getHeight();
    const grid: GridSpec = { width, height, epsg, transform: { originX, originY, resX, resY: -negResY } };
    return { grid, data, nodata: image.getGDALNoData() };
  } finally {
    tiff.close();
  }
}

/** Writes into `dir` (created, or emptied first so stale files never linger). */
function folderWriter(dir: string): (file: string, bytes: Uint8Array) => Promise<void> {
  return async (file, bytes) => {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
  };
}

async function freshDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

const DOLOMITES_BANDS = [
  ['blue', 'b2'],
  ['green', 'b3'],
  ['red', 'b4'],
  ['nir', 'b8'],
] as const;

/** Dolomites: Float32 DN (with the +1000 offset) -> UInt16 DN COGs, c1-l2a style raster:bands. */
export async function buildDolomitesPack(dataDir: string, outDir: string): Promise<PackResult> {
  const src = path.join(dataDir, DOLOMITES_DIR);
  const first = await readSourceBand(path.join(src, 'sentinel.dolomites.b2.tif'));
  async function* bands(): AsyncGenerator<PackBand> {
    for (const [key, stem] of DOLOMITES_BANDS) {
      const band = await readSourceBand(path.join(src, `sentinel.dolomites.${stem}.tif`));
      if (JSON.stringify(band.grid) !== JSON.stringify(first.grid))
        throw new Error(`${stem}: grid differs from b2.`);
      const info = s2BandByKey(key);
      yield {
        key,
        grid: band.grid,
        data: toUint16Dn(band.data, band.nodata),
        nodata: 0,
        overviewResampling: 'average',
        description: info?.title,
        asset: s2Asset(key, {
          href: `${info?.band ?? key}.tif`,
          grid: band.grid,
          dataType: 'uint16',
          nodata: 0,
          // Processing baseline >= 04.00: DN carry a +1000 offset, reflectance = DN * 1e-4 - 0.1.
          scale: 0.0001,
          offset: -0.1,
          gsd: 10,
          rasterBand: { bits_per_sample: 15 },
        }),
      };
    }
  }
  await freshDir(outDir);
  return buildPack(
    [
      {
        item: {
          id: 'dolomites-2022-06',
          footprint: first.grid,
          time: monthInterval(2022, 6),
          constellation: 'sentinel-2',
          processingBaseline: '04.00',
          properties: {
            instruments: ['msi'],
            's2:product_type': 'S2MSI2A',
            description:
              "Sentinel-2 L2A B02/B03/B04/B08 over Tofane / Cortina d'Ampezzo (Dolomites), June 2022; " +
              'exact day and platform unknown. s2:processing_baseline is inferred from the +1000 DN offset ' +
              'present in the data, not read from product metadata. Source: imageRy R package.',
            'pack:inferred': ['s2:processing_baseline'],
            'pack:attribution': ATTRIBUTION,
          },
        },
        bands: bands(),
      },
    ],
    folderWriter(outDir),
  );
}

/** 29RKH: every reflectance band and SCL re-encoded at the files' own (downsampled) resolution. */
export async function build29RkhPack(dataDir: string, outDir: string): Promise<PackResult> {
  const src = path.join(dataDir, RKH_DIR);
  const real = parseStacItem(JSON.parse(await readFile(path.join(src, RKH_ITEM), 'utf8')), RKH_ITEM);
  const keys = [
    ...['coastal', 'blue', 'green', 'red', 'rededge1', 'rededge2', 'rededge3', 'nir', 'nir08', 'nir09'],
    ...['swir16', 'swir22', 'scl'],
  ];
  const footprint = (await readSourceBand(path.join(src, 'B02.tif'))).grid;
  async function* bands(): AsyncGenerator<PackBand> {
    for (const key of keys) {
      const source = real.assets[key];
      if (!source) throw new Error(`${RKH_ITEM} has no '${key}' asset.`);
      const file = path.posix.basename(source.href);
      const band = await readSourceBand(path.join(src, file));
      const [realBand] = source['raster:bands'] ?? [];
      const dataType = sampleLayout(band.data).dataType;
      if (realBand?.data_type && realBand.data_type !== dataType) {
        throw new Error(`${file} is ${dataType} but the item says ${realBand.data_type}.`);
      }
      const nodata = typeof realBand?.nodata === 'number' ? realBand.nodata : (band.nodata ?? undefined);
      const isScl = key === 'scl';
      yield {
        key,
        grid: band.grid,
        data: band.data,
        ...(nodata === undefined ? {} : { nodata }),
        overviewResampling: isScl ? 'nearest' : 'average',
        description: source.title,
        asset: buildAsset({
          href: file,
          grid: band.grid,
          dataType,
          ...(nodata === undefined ? {} : { nodata }),
          ...(realBand?.scale === undefined ? {} : { scale: realBand.scale }),
          ...(realBand?.offset === undefined ? {} : { offset: realBand.offset }),
          ...(source.title ? { title: source.title } : {}),
          roles: isScl ? ['data'] : (source.roles ?? ['data', 'reflectance']),
          // The files are 10x downsampled, so gsd states the pixels' real size.
          ...(source.gsd === undefined ? {} : { gsd: band.grid.transform.resX }),
          ...(source['eo:bands'] ? { eoBands: source['eo:bands'] } : {}),
          ...(realBand ? { rasterBand: realBand } : {}),
        }),
      };
    }
  }
  const props = real.properties;
  // Keep the real item's other extensions; eo/proj/raster come in the versions our assets follow.
  const extra = (real.stac_extensions ?? []).filter((url) => !/\/(eo|projection|raster)\//.test(url));
  await freshDir(outDir);
  return buildPack(
    [
      {
        item: {
          id: real.id,
          footprint,
          time:
            props.datetime === null && props.start_datetime && props.end_datetime
              ? { start: props.start_datetime, end: props.end_datetime }
              : { datetime: props.datetime ?? '' },
          ...(props.platform ? { platform: props.platform } : {}),
          ...(props.constellation ? { constellation: props.constellation } : {}),
          ...(props['eo:cloud_cover'] === undefined ? {} : { cloudCover: props['eo:cloud_cover'] }),
          ...(props['s2:processing_baseline'] ? { processingBaseline: props['s2:processing_baseline'] } : {}),
          properties: {
            ...props,
            'pack:note': `Earth Search item ${real.id} (${real.collection ?? 'sentinel-2-l2a'}); bands 10x downsampled (rio-tiler-pds test fixtures).`,
            'pack:attribution': ATTRIBUTION,
          },
          extraExtensions: extra,
        },
        bands: bands(),
      },
    ],
    folderWriter(outDir),
  );
}

export async function dataAvailable(dataDir: string): Promise<boolean> {
  try {
    return (await stat(dataDir)).isDirectory();
  } catch {
    return false;
  }
}

function summary(name: string, result: PackResult): string {
  const item = result.catalog.features[0];
  const keys = Object.keys(item?.assets ?? {});
  const mb = (result.totalBytes / 1e6).toFixed(2);
  return `${name}: ${keys.length} bands (${keys.join(', ')}), ${result.files.length} files, ${result.totalBytes} bytes (${mb} MB)`;
}

async function main(): Promise<void> {
  // PACK_DATA_DIR lets a checkout with the data elsewhere (or a test of this error) point at it.
  const dataDir = path.resolve(process.env.PACK_DATA_DIR ?? DEFAULT_DATA_DIR);
  for (const dir of [dataDir, path.join(dataDir, DOLOMITES_DIR), path.join(dataDir, RKH_DIR)]) {
    if (!(await dataAvailable(dir))) {
      console.error(
        `pack-demo: source data folder not found: ${dir} (expected ../shared/data next to the project).`,
      );
      process.exit(1);
    }
  }
  const packs: [string, (data: string, out: string) => Promise<PackResult>][] = [
    ['dolomites-2022-06', buildDolomitesPack],
    ['s2-29rkh-2020-02', build29RkhPack],
  ];
  for (const [name, build] of packs) {
    const outDir = path.join(DEFAULT_PACKS_DIR, name);
    console.log(`${summary(name, await build(dataDir, outDir))} -> ${path.relative(ROOT, outDir)}`);
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main().catch((error: unknown) => {
    console.error(`pack-demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
