import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as embed } from '../../scripts/cli/embed.ts';
import { buildSyntheticPack } from '../../scripts/synthetic-pack.ts';
import { startStacServer } from '../../server/stac-api.ts';
import type { SpectralBand } from '../../src/lib/encoder/index.ts';
import {
  buildPrestoSeriesInputs,
  GalileoSession,
  galileoInputsFromPresto,
  type PrestoInputs,
  PrestoSession,
  type ReflectanceStep,
} from '../../src/lib/encoder/index.ts';
import { converter, pixelToCrs } from '../../src/lib/geo/index.ts';
import {
  HAS_PACK,
  L1C_CODES,
  realBand,
  STACK_GRID,
  STACK_SIZE,
  writeStack,
} from '../scene/stack-fixtures.ts';
import { fixtureItems } from '../scene/synthetic-fixtures.ts';

const MODELS = join(import.meta.dirname, '../../public/models/presto');
const HAS_PRESTO = existsSync(join(MODELS, 'manifest.json'));
const GALILEO = join(import.meta.dirname, '../../public/models/galileo-nano');
const HAS_GALILEO = existsSync(join(GALILEO, 'manifest.json'));
if (!HAS_PACK)
  console.warn('CLI multi-date tests skipped: packs/s2-29rkh-2020-02 is absent (npm run pack:demo)');
if (!HAS_PRESTO)
  console.warn('CLI Presto multi-date tests skipped: the Presto model is not built (npm run models)');
if (!HAS_GALILEO)
  console.warn('CLI Galileo-nano multi-date test skipped: the model is not built (npm run models)');

/** Presto's channel of each L1C stack band it reads (B01, B09, B10 it does not). */
const PRESTO_BANDS: Record<string, SpectralBand> = {
  B02: 'blue',
  B03: 'green',
  B04: 'red',
  B05: 'rededge1',
  B06: 'rededge2',
  B07: 'rededge3',
  B08: 'nir',
  B8A: 'nir08',
  B11: 'swir16',
  B12: 'swir22',
};
const DATES = ['2015-07-31', '2015-08-20', '2015-08-30', '2015-09-09'];
/** Each date's DN: the real pixels scaled (so the dates differ), and date 3 with a "cloud" of nodata. */
const GAINS = [1, 0.92, 1.07, 1.15];
const CLOUD = (row: number, col: number) => row < 12 && col < 20;

/** A sample of the stack's pixels, compared with the library's result one by one. */
const SAMPLE = Array.from({ length: 60 }, (_, k) => (k * 997) % (STACK_SIZE * STACK_SIZE));

/** What the library builds from the dates' DN for `pixels` (nodata masks the date's pixel). */
function libraryInputs(dn: Uint16Array[][], pixels: number[]): PrestoInputs {
  const steps: ReflectanceStep[] = dn.map((bands, t) => {
    const perBand: Partial<Record<SpectralBand, Float32Array>> = {};
    L1C_CODES.forEach((code, b) => {
      const key = PRESTO_BANDS[code];
      if (key)
        perBand[key] = Float32Array.from(pixels, (p) =>
          bands[b]![p] === 0 ? Number.NaN : bands[b]![p]! / 10000,
        );
    });
    const valid = Uint8Array.from(pixels, (p) => (L1C_CODES.every((_, b) => bands[b]![p] !== 0) ? 1 : 0));
    return { bands: perBand, month: new Date(DATES[t]!).getUTCMonth(), valid };
  });
  const toWgs = converter(STACK_GRID.epsg, 4326);
  const latlons = new Float32Array(pixels.length * 2);
  pixels.forEach((p, i) => {
    const [lon, lat] = toWgs(
      pixelToCrs(STACK_GRID.transform, (p % STACK_SIZE) + 0.5, Math.floor(p / STACK_SIZE) + 0.5),
    );
    latlons[i * 2] = lat;
    latlons[i * 2 + 1] = lon;
  });
  return buildPrestoSeriesInputs(pixels.length, latlons, steps);
}

async function readBands(
  path: string,
): Promise<{ bands: Float32Array[]; metadata: Record<string, unknown> }> {
  const bytes = await readFile(path);
  const image = await (
    await fromArrayBuffer(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    )
  ).getImage();
  return {
    bands: (await image.readRasters()) as unknown as Float32Array[],
    metadata: ((await image.getGDALMetadata()) ?? {}) as Record<string, unknown>,
  };
}

describe.skipIf(!HAS_PACK)(
  'npm run cli -- embed with several dates (real 29RKH pixels in 13-band stacks)',
  () => {
    let dir: string;
    let dn: Uint16Array[][];
    let stacks: string[];
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cli-dates-'));
      const real = await Promise.all(L1C_CODES.map((c) => realBand(c)));
      dn = GAINS.map((gain, t) =>
        real.map((band) =>
          band.map((v, i) =>
            t === 2 && CLOUD(Math.floor(i / STACK_SIZE), i % STACK_SIZE) ? 0 : Math.round(v * gain),
          ),
        ),
      );
      stacks = [];
      for (const [t, bands] of dn.entries()) {
        const path = join(dir, `d${t + 1}.tif`);
        await writeFile(path, writeStack(bands, { descriptions: L1C_CODES }));
        stacks.push(path);
      }
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.skipIf(!HAS_PRESTO)(
      'a 4-date run from four files equals the library T = 4 result, and records the dates',
      async () => {
        const out = join(dir, 'e.tif');
        // Given out of date order: the CLI orders the steps by date.
        const order = [2, 0, 3, 1];
        const code = await embed.run([
          '--model',
          'presto',
          '--source',
          ...order.map((i) => stacks[i]!),
          '--dates',
          order.map((i) => DATES[i]).join(','),
          '--convention',
          'no-offset',
          '--out',
          out,
        ]);
        expect(code).toBe(0);
        const written = await readBands(out);
        expect(written.bands).toHaveLength(128);
        expect(written.metadata.DATES).toBe(DATES.join(','));
        expect(written.metadata.TIME_STEPS).toBe('4');
        // The library, straight: Presto inputs of every date for a sample of pixels, one session.
        const pixels = SAMPLE;
        const session = await PrestoSession.create(
          ort,
          new Uint8Array(await readFile(join(MODELS, 'presto.fp32.onnx'))),
        );
        const expected = await session.encode(libraryInputs(dn, pixels));
        await session.release();
        let worst = 0;
        pixels.forEach((p, i) => {
          for (let d = 0; d < 128; d++)
            worst = Math.max(worst, Math.abs(written.bands[d]![p]! - expected[i * 128 + d]!));
        });
        expect(worst).toBeLessThan(1e-4);
        // A clouded pixel of date 3 is still encoded (the other dates saw it), and differs from an
        // encoding that saw it on date 3 too: the cloud masks that date only.
        expect(pixels.some((p) => CLOUD(Math.floor(p / STACK_SIZE), p % STACK_SIZE))).toBe(true);
      },
    );

    it.skipIf(!HAS_GALILEO)(
      'Galileo-nano takes the same dates: several --source, each its own date, equal the library T = 4',
      async () => {
        const out = join(dir, 'g.tif');
        const args = ['--model', 'galileo-nano', '--convention', 'no-offset', '--out', out];
        // One --source per date, out of date order; their dates from --dates.
        const order = [3, 1, 0, 2];
        const sources = order.flatMap((i) => ['--source', stacks[i]!]);
        const dates = ['--dates', order.map((i) => DATES[i]).join(',')];
        expect(await embed.run([...args, ...sources, ...dates])).toBe(0);
        const written = await readBands(out);
        expect(written.bands).toHaveLength(128);
        expect(written.metadata.DATES).toBe(DATES.join(','));
        expect(written.metadata.TIME_STEPS).toBe('4');
        expect(String(written.metadata.MODEL)).toBe('galileo-nano');
        const session = await GalileoSession.create(
          ort,
          new Uint8Array(await readFile(join(GALILEO, 'galileo-nano.fp32.onnx'))),
        );
        const expected = await session.encode(galileoInputsFromPresto(libraryInputs(dn, SAMPLE)));
        await session.release();
        let worst = 0;
        SAMPLE.forEach((p, i) => {
          for (let d = 0; d < 128; d++)
            worst = Math.max(worst, Math.abs(written.bands[d]![p]! - expected[i * 128 + d]!));
        });
        expect(worst).toBeLessThan(1e-4);
      },
    );

    it.skipIf(!HAS_PRESTO)(
      'one stacked file with --date: the bands from their descriptions, no --bands needed',
      async () => {
        const out = join(dir, 'one.tif');
        expect(
          await embed.run([
            '--model',
            'presto',
            '--source',
            stacks[0]!,
            '--date',
            DATES[0]!,
            '--convention',
            'no-offset',
            '--out',
            out,
          ]),
        ).toBe(0);
        expect((await readBands(out)).metadata.DATES).toBe(DATES[0]);
        // Without a date anywhere, Presto asks for --date before reading a pixel.
        await expect(
          embed.run(['--model', 'presto', '--source', stacks[0]!, '--convention', 'no-offset', '--out', out]),
        ).rejects.toThrow(/needs the acquisition date.*give --date YYYY-MM-DD/);
      },
    );

    it('refusals become clear usage errors: convention, a second date for a one-date model, --bands counts, --res', async () => {
      const out = join(dir, 'x.tif');
      await expect(embed.run(['--source', stacks[0]!, '--out', out])).rejects.toThrow(
        /d1\.tif: the files do not say how their numbers relate to reflectance; give --convention offset/,
      );
      await expect(
        embed.run([
          '--source',
          stacks[0]!,
          stacks[1]!,
          '--dates',
          DATES.slice(0, 2).join(','),
          '--convention',
          'no-offset',
          '--out',
          out,
        ]),
      ).rejects.toThrow(/--source holds 2 dates \(2015-07-31; 2015-08-20\); --model spectral encodes one/);
      // A second --source is a second date, never ignored.
      await expect(
        embed.run([
          '--source',
          stacks[0]!,
          '--source',
          stacks[1]!,
          '--convention',
          'no-offset',
          '--out',
          out,
        ]),
      ).rejects.toThrow(/B02 is given twice \(d1\.tif and d2\.tif\)/);
      await expect(
        embed.run([
          '--source',
          stacks[0]!,
          '--bands',
          'B02,B03,B04',
          '--convention',
          'no-offset',
          '--out',
          out,
        ]),
      ).rejects.toThrow('--bands names 3 band(s) but d1.tif holds 13.');
      await expect(
        embed.run([
          '--source',
          stacks[0]!,
          '--dates',
          DATES.join(','),
          '--convention',
          'no-offset',
          '--out',
          out,
        ]),
      ).rejects.toThrow(/--dates: 4 date\(s\) for 1 file\(s\)/);
      await expect(
        embed.run(['--source', stacks[0]!, '--res', '30', '--convention', 'no-offset', '--out', out]),
      ).rejects.toThrow(/--res: The load resolution must be 10, 20, 40, 80 or 160 metres/);
    });

    it('--bands names the samples of a stack without descriptions; --res 400 averages 200 m files to 400 m', async () => {
      const bare = join(dir, 'bare.tif');
      await writeFile(bare, writeStack(dn[0]!));
      const out = join(dir, 'bands.tif');
      const list = 'B01,B02,B03,B04,B05,B06,B07,B08,B8A,B09,B10,B11,B12';
      await expect(embed.run(['--source', bare, '--convention', 'no-offset', '--out', out])).rejects.toThrow(
        /holds 13 bands and its band descriptions do not name them/,
      );
      expect(
        await embed.run(['--source', bare, '--bands', list, '--convention', 'no-offset', '--out', out]),
      ).toBe(0);
      const described = join(dir, 'described.tif');
      expect(await embed.run(['--source', stacks[0]!, '--convention', 'no-offset', '--out', described])).toBe(
        0,
      );
      expect((await readBands(out)).bands[0]).toEqual((await readBands(described)).bands[0]);
      await expect(
        embed.run([
          '--source',
          bare,
          '--bands',
          list,
          '--res',
          '80',
          '--convention',
          'no-offset',
          '--out',
          out,
        ]),
      ).rejects.toThrow(/--res 80: these files have 200 m pixels/);
    });
  },
);

describe('npm run cli -- embed over a pack with several scenes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-pack-dates-'));
    // Two dates of one tile (and a neighbour tile on the first date), 2880 m at 10-20 m.
    await buildSyntheticPack(join(dir, 'pack'), fixtureItems());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never opens one silently: the list, then --item, --dates and --res', async () => {
    const pack = join(dir, 'pack');
    const out = join(dir, 'e.tif');
    await expect(embed.run(['--source', pack, '--out', out])).rejects.toThrow(
      /holds 3 scenes of 2 dates: .*S2A_32TQS_20220610 \(2022-06-10\).*S2B_32TQS_20220705 \(2022-07-05\).*Say which: --item ID/,
    );
    expect(
      await embed.run(['--source', pack, '--item', 'S2B_32TQS_20220705', '--res', '20', '--out', out]),
    ).toBe(0);
    const image = await (await fromArrayBuffer((await readFile(out)).buffer as ArrayBuffer)).getImage();
    expect(image.getResolution()[0]).toBeCloseTo(20, 6);
    expect(await image.getGDALMetadata()).toMatchObject({
      DATES: '2022-07-05',
      SCENE: expect.stringContaining('S2B_32TQS_20220705'),
    });
    await expect(embed.run(['--source', pack, '--dates', 'all', '--out', out])).rejects.toThrow(
      /--source holds 2 dates \(2022-06-10; 2022-07-05\); --model spectral encodes one/,
    );
    await expect(embed.run(['--source', pack, '--item', 'nope', '--out', out])).rejects.toThrow(
      /--item nope: The pack .* has no such scene/,
    );
    await expect(embed.run(['--source', pack, '--dates', '2022-06-11', '--out', out])).rejects.toThrow(
      /no scene that day/,
    );
  });

  it('several pack folders are several dates; a STAC search with --yearly gives one date per month', async () => {
    const [june, , july] = fixtureItems();
    await buildSyntheticPack(join(dir, 'p-june'), [june!]);
    await buildSyntheticPack(join(dir, 'p-july'), [july!]);
    const out = join(dir, 'x.tif');
    await expect(
      embed.run(['--source', join(dir, 'p-july'), join(dir, 'p-june'), '--out', out]),
    ).rejects.toThrow(/--source holds 2 dates \(2022-07-05; 2022-06-10\); --model spectral encodes one/);
    const { server, url } = await startStacServer({ packsDir: dir });
    try {
      const search = [
        '--source',
        url,
        '--bbox',
        '11.945,46.58,11.965,46.595',
        '--datetime',
        '2022-06-01/2022-07-31',
      ];
      await expect(embed.run([...search, '--yearly', '--out', out])).rejects.toThrow(
        /--source holds 2 dates \(2022-06; 2022-07\); --model spectral encodes one/,
      );
      expect(
        await embed.run([...search, '--item', 'S2B_32TQS_20220705', '--factor', '8', '--out', out]),
      ).toBe(0);
      const image = await (await fromArrayBuffer((await readFile(out)).buffer as ArrayBuffer)).getImage();
      expect(await image.getGDALMetadata()).toMatchObject({ DATES: '2022-07-05' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it.skipIf(!HAS_PRESTO)('--dates all and --yearly encode every date of the tile with Presto', async () => {
    const base = ['--source', join(dir, 'pack'), '--model', 'presto', '--bbox', '11.945,46.58,11.965,46.595'];
    const firstBand = async (path: string) => {
      const image = await (await fromArrayBuffer((await readFile(path)).buffer as ArrayBuffer)).getImage();
      const [band] = (await image.readRasters({ samples: [0] })) as unknown as Float32Array[];
      return { metadata: await image.getGDALMetadata(), band };
    };
    const out = join(dir, 'series.tif');
    expect(await embed.run([...base, '--dates', 'all', '--factor', '4', '--out', out])).toBe(0);
    const all = await firstBand(out);
    expect(all.metadata).toMatchObject({ DATES: '2022-06-10,2022-07-05', TIME_STEPS: '2' });
    // Yearly mode: the best scene of each month, here the scene of each date: the same embeddings.
    const yearly = join(dir, 'yearly.tif');
    expect(await embed.run([...base, '--yearly', '--factor', '4', '--out', yearly])).toBe(0);
    const year = await firstBand(yearly);
    expect(year.metadata).toMatchObject({ DATES: '2022-06-10,2022-07-05' });
    expect(year.band).toEqual(all.band);
  });
});
