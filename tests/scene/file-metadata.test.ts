import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { parseBandList, parseBandName } from '../../src/lib/scene/band-names.ts';
import { bandNameFromFileName } from '../../src/lib/scene/file-bands.ts';
import { conventionFromMetadata } from '../../src/lib/scene/file-convention.ts';
import { dateFromFileName, parseDate } from '../../src/lib/scene/file-dates.ts';
import { CONVENTION_UNKNOWN } from '../../src/lib/scene/file-facts.ts';
import { loadFileScene } from '../../src/lib/scene/load-files.ts';
import { loadScene } from '../../src/lib/scene/load-scene.ts';
import { parseGdalMetadata } from '../../src/lib/scene/tiff-metadata.ts';
import { gdal, HAS_GDAL, HAS_PACK, L1C_CODES, PACK_29RKH, realBand, writeStack } from './stack-fixtures.ts';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const blob = (bytes: Uint8Array) => new Blob([new Uint8Array(bytes)]);

describe('band names, dates and conventions as users and GDAL write them', () => {
  it('reads Sentinel-2 codes and common names, case-insensitive; B01, B09, B10 are unused, not unknown', () => {
    const cases: [string, string][] = [
      ['B02', 'band:blue'],
      ['b2', 'band:blue'],
      ['B8A', 'band:nir08'],
      ['b8a', 'band:nir08'],
      ['Blue', 'band:blue'],
      ['NIR', 'band:nir'],
      ['RedEdge1', 'band:rededge1'],
      ['swir16', 'band:swir16'],
      ['SCL', 'band:scl'],
      ['B10', 'unused:B10'],
      ['b1', 'unused:B01'],
      ['B09', 'unused:B09'],
      ['coastal', 'unused:B01'],
      ['-', 'skip'],
      ['skip', 'skip'],
    ];
    for (const [text, want] of cases) {
      const got = parseBandName(text);
      const shown = !got
        ? 'none'
        : got.kind === 'band'
          ? `band:${got.band}`
          : got.kind === 'unused'
            ? `unused:${got.code}`
            : 'skip';
      expect(shown, text).toBe(want);
    }
    expect(parseBandName('B13')).toBeUndefined();
    expect(parseBandName('TCI')).toBeUndefined();
    expect(() => parseBandList('B02,B03,X9,B04')).toThrow(/Unknown band name\(s\) "X9"/);
    expect(bandNameFromFileName('B10.tif')).toEqual({ kind: 'unused', code: 'B10', why: 'cirrus, 60 m' });
  });

  it('reads dates from metadata strings and file names, refusing non-dates', () => {
    expect(parseDate('2015-07-31')).toBe('2015-07-31');
    expect(parseDate('20150731')).toBe('2015-07-31');
    expect(parseDate('2015:07:31 10:20:30')).toBe('2015-07-31T10:20:30Z');
    expect(parseDate('2015-07-31T10:20:30.024Z')).toBe('2015-07-31T10:20:30Z');
    expect(parseDate('2015-02-30')).toBeUndefined();
    expect(parseDate('yesterday')).toBeUndefined();
    expect(dateFromFileName('S2A_MSIL2A_20170613T101031_87_48_B02.tif')?.iso).toBe('2017-06-13T10:10:31Z');
    expect(dateFromFileName('T32TQS_20220601T101559_B04_10m.jp2')?.iso).toBe('2022-06-01T10:15:59Z');
    expect(dateFromFileName('stack_2015-08-20.tif')?.iso).toBe('2015-08-20');
    expect(dateFromFileName('dolomites_20150830_L1C.tif')?.iso).toBe('2015-08-30');
    expect(dateFromFileName('B04.tif')).toBeUndefined();
    // Two different dates: which one is the acquisition cannot be told.
    expect(dateFromFileName('mosaic_20150701_20150831.tif')).toBeUndefined();
  });

  it('reads the convention and the level from GDAL metadata and product names, and only from them', () => {
    const meta = (dataset: Record<string, string>, band: Record<string, string> = {}) => ({
      samples: 1,
      dataset,
      bands: [{ items: band }],
    });
    const of = (name: string, m: ReturnType<typeof meta>) => {
      const found = conventionFromMetadata(name, m);
      return `${found.convention?.value ?? '?'} ${found.level?.value ?? '?'}`;
    };
    expect(of('x.tif', meta({ BOA_ADD_OFFSET_B2: '-1000' }))).toBe('offset-1000 L2A');
    expect(of('x.tif', meta({ RADIO_ADD_OFFSET: '0' }))).toBe('no-offset L1C');
    expect(of('x.tif', meta({ PROCESSING_BASELINE: '02.01', PROCESSING_LEVEL: 'Level-1C' }))).toBe(
      'no-offset L1C',
    );
    expect(of('x.tif', meta({ PROCESSING_BASELINE: '05.09' }))).toBe('offset-1000 ?');
    expect(of('S2B_MSIL2A_20220601T101559_N0400_R065_T32TQS.tif', meta({}))).toBe('offset-1000 L2A');
    expect(of('S2A_MSIL1C_20150731T101006_N0204_R022_T32TQS.tif', meta({}))).toBe('no-offset L1C');
    expect(of('x.tif', meta({}, { SCALE: '0.0001', OFFSET: '-0.1' }))).toBe('offset-1000 ?');
    expect(of('B04.tif', meta({}))).toBe('? ?');
  });

  it('parses GDAL_METADATA as GDAL writes it (descriptions by role, values escaped twice)', () => {
    const xml = `<GDALMetadata>
  <Item name="PROCESSING_LEVEL">Level-1C</Item>
  <Item name="NOTE">a &amp;amp; b</Item>
  <Item name="DESCRIPTION" sample="0" role="description">B02</Item>
  <Item name="BANDNAME" sample="1">B03</Item>
  <Item name="SCALE" sample="1" role="scale">0.0001</Item>
</GDALMetadata>`;
    const parsed = parseGdalMetadata(xml, 2);
    expect(parsed.dataset).toEqual({ PROCESSING_LEVEL: 'Level-1C', NOTE: 'a & b' });
    expect(parsed.bands[0]).toEqual({ description: 'B02', items: {} });
    expect(parsed.bands[1]).toEqual({ items: { BANDNAME: 'B03', SCALE: '0.0001' } });
  });
});

describe.skipIf(!HAS_PACK)('multi-band GeoTIFFs with band descriptions (real 29RKH pixels)', () => {
  let dir: string;
  let bands: Uint16Array[];
  /** The file: 13 bands described B01..B12, L1C, no offset, 2015. */
  let l1c: Uint8Array;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-metadata-'));
    bands = await Promise.all(L1C_CODES.map((c) => realBand(c)));
    l1c = writeStack(bands, {
      descriptions: L1C_CODES,
      metadata: {
        PROCESSING_LEVEL: 'Level-1C',
        PROCESSING_BASELINE: '02.01',
        DATATAKE_1_DATATAKE_SENSING_START: '2015-07-31T10:20:06.027Z',
      },
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('maps every band from its description, skips B01/B09/B10 with a note, reads date, level and convention', async () => {
    const scene = await loadFileScene([{ name: 'stack.tif', file: blob(l1c) }], undefined, () => undefined);
    expect(scene.bands).toEqual([
      'blue',
      'green',
      'red',
      'rededge1',
      'rededge2',
      'rededge3',
      'nir',
      'nir08',
      'swir16',
      'swir22',
    ]);
    expect(scene.datetime).toBe('2015-07-31T10:20:06Z');
    const notes = scene.notes?.join('\n') ?? '';
    expect(notes).toMatch(
      /Skipped, no encoder reads them: stack\.tif band 1 \(B01.*band 10 \(B09.*band 11 \(B10/,
    );
    expect(notes).toMatch(/DATATAKE_1_DATATAKE_SENSING_START/);
    expect(notes).toMatch(
      /Convention no-offset from stack\.tif: its metadata \(PROCESSING_BASELINE = 02\.01\)/,
    );
    expect(notes).toMatch(/Level-1C/);
    // no-offset: reflectance = DN / 10000, B04 is the stack's 4th sample.
    const i = 21 * 42 + 17;
    expect(scene.reflectance[2]![i]).toBeCloseTo(bands[3]![i]! / 10000, 6);
  });

  it('maps common-name descriptions (blue, Green, RED, nir) too', async () => {
    const file = writeStack(bands.slice(1, 4).concat([bands[7]!]), {
      descriptions: ['blue', 'Green', 'RED', 'nir'],
      metadata: { BOA_ADD_OFFSET: '-1000' },
    });
    const scene = await loadFileScene([{ name: 'rgbn.tif', file: blob(file) }], undefined, () => undefined);
    expect(scene.bands).toEqual(['blue', 'green', 'red', 'nir']);
    const i = 5 * 42 + 9;
    expect(scene.reflectance[0]![i]).toBeCloseTo((bands[1]![i]! - 1000) / 10000, 6);
  });

  it('a file named B10.tif is skipped with a note, not refused', async () => {
    const one = (k: number) => writeStack([bands[k]!]);
    const files = [
      { name: 'B02.tif', file: blob(one(1)) },
      { name: 'B03.tif', file: blob(one(2)) },
      { name: 'B04.tif', file: blob(one(3)) },
      { name: 'B10.tif', file: blob(one(10)) },
    ];
    const scene = await loadFileScene(files, 'no-offset', () => undefined);
    expect(scene.bands).toEqual(['blue', 'green', 'red']);
    expect(scene.notes?.[0]).toBe('Skipped, no encoder reads them: B10.tif (B10, cirrus, 60 m).');
  });

  it('without a stated convention it asks for one; the file name gives the date', async () => {
    const file = writeStack(bands.slice(1, 4), { descriptions: ['B02', 'B03', 'B04'] });
    const error = await failure(
      loadFileScene([{ name: 'rgb_2015-08-20.tif', file: blob(file) }], undefined, () => undefined),
    );
    expect(error.message).toBe(CONVENTION_UNKNOWN);
    const scene = await loadFileScene(
      [{ name: 'rgb_2015-08-20.tif', file: blob(file) }],
      'no-offset',
      () => undefined,
    );
    expect(scene.datetime).toBe('2015-08-20');
    // The user's date wins over the name's; a non-date is refused.
    const dated = await loadFileScene(
      [{ name: 'rgb_2015-08-20.tif', file: blob(file) }],
      'no-offset',
      () => undefined,
      undefined,
      { date: '2015-09-09' },
    );
    expect(dated.datetime).toBe('2015-09-09');
    const bad = await failure(
      loadFileScene([{ name: 'x.tif', file: blob(file) }], 'no-offset', () => undefined, undefined, {
        date: '31/07',
      }),
    );
    expect(bad.message).toBe('"31/07" is not a date; give it as YYYY-MM-DD.');
  });

  it('files of different dates in one scene are an error naming them; one band given twice too', async () => {
    const one = (k: number) => blob(writeStack([bands[k]!]));
    const mixed = [
      { name: 'S2A_MSIL2A_20170613T101031_B02.tif', file: one(1) },
      { name: 'S2A_MSIL2A_20170613T101031_B03.tif', file: one(2) },
      { name: 'S2A_MSIL2A_20170703T101031_B04.tif', file: one(3) },
    ];
    const error = await failure(loadFileScene(mixed, 'no-offset', () => undefined));
    expect(error.message).toMatch(
      /carry different dates \(.*B02\.tif: 2017-06-13.*B04\.tif: 2017-07-03\): encode them as several dates/,
    );
    const twice = await failure(
      loadFileScene(
        [{ name: 'B04.tif', file: one(3) }, ...mixed.slice(0, 2), { name: 'red.tif', file: one(3) }],
        'no-offset',
        () => undefined,
      ),
    );
    expect(twice.message).toMatch(/^B04 is given twice \(B04\.tif and red\.tif\)/);
  });

  it('files of several dates (a date per file) open as the newest date, saying how many there are', async () => {
    const file = blob(writeStack(bands.slice(1, 4), { descriptions: ['B02', 'B03', 'B04'] }));
    const scene = await loadScene(
      {
        kind: 'files',
        convention: 'no-offset',
        files: [
          { name: 'a.tif', file, date: '2015-08-20' },
          { name: 'b.tif', file, date: '2015-07-31' },
        ],
      },
      () => undefined,
    );
    expect(scene.datetime).toBe('2015-08-20');
    expect(scene.title).toContain('a.tif');
    expect(scene.notes?.[0]).toMatch(/^2 dates \(2015-07-31, 2015-08-20\): the newest is shown/);
  });

  it.skipIf(!HAS_GDAL)(
    'GDAL reads the same descriptions and metadata, and its own copy reads the same here',
    async () => {
      if (!HAS_GDAL) return;
      const path = join(dir, 'stack.tif');
      await writeFile(path, l1c);
      const info = JSON.parse(gdal('gdalinfo', ['-json', path])) as {
        bands: { description?: string }[];
        metadata: Record<string, Record<string, string>>;
      };
      expect(info.bands.map((b) => b.description)).toEqual(L1C_CODES);
      expect(info.metadata['']?.DATATAKE_1_DATATAKE_SENSING_START).toBe('2015-07-31T10:20:06.027Z');
      // GDAL's own GeoTIFF (its writer, not ours), with TIFFTAG_DATETIME as the only date.
      const copy = join(dir, 'gdal-copy.tif');
      gdal('gdal_translate', [
        '-q',
        '-of',
        'GTiff',
        '-co',
        'COMPRESS=LZW',
        '-mo',
        'DATATAKE_1_DATATAKE_SENSING_START=',
        '-mo',
        'TIFFTAG_DATETIME=2015:08:30 10:20:00',
        path,
        copy,
      ]);
      const scene = await loadFileScene(
        [{ name: 'gdal-copy.tif', file: blob(await readFile(copy)) }],
        undefined,
        () => undefined,
      );
      expect(scene.bands).toHaveLength(10);
      expect(scene.datetime).toBe('2015-08-30T10:20:00Z');
      expect(scene.notes?.join('\n')).toMatch(/TIFFTAG_DATETIME/);
    },
  );
});

if (!HAS_PACK) console.warn(`multi-band metadata tests skipped: ${PACK_29RKH} is absent (npm run pack:demo)`);
if (!HAS_GDAL)
  console.warn('GDAL checks skipped: gdal_translate is not installed (apt-get install gdal-bin)');
