import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_DATA_DIR, DOLOMITES_DIR, readSourceBand } from '../../scripts/pack-demo.ts';
import { buildPack, monthInterval, type PackBand, s2Asset, toUint16Dn } from '../../src/lib/pack/index.ts';

/** The block that changes between the two dates: rows and columns of the 10 m grid. */
export const CHANGED_BLOCK = { row0: 300, row1: 500, col0: 400, col1: 600 };

const BANDS = [
  ['blue', 'b2', 'B02'],
  ['green', 'b3', 'B03'],
  ['red', 'b4', 'B04'],
  ['nir', 'b8', 'B08'],
] as const;

/**
 * A two-date pack of the real Dolomites scene: June as recorded, and an "August" in which one
 * block was cleared (NIR down, red up, as when forest becomes bare ground). Everything else is
 * identical, so a change map must light up that block and nothing else.
 */
export async function buildChangePack(outDir: string): Promise<void> {
  const src = join(DEFAULT_DATA_DIR, DOLOMITES_DIR);
  // Each source band is read once for both dates (reading them per date took twice as long).
  const read = await Promise.all(
    BANDS.map(([, stem]) => readSourceBand(join(src, `sentinel.dolomites.${stem}.tif`))),
  );
  const first = read[0]!;
  const scene = async (month: number, cleared: boolean) => {
    const folder = `2022-${String(month).padStart(2, '0')}`;
    async function* bands(): AsyncGenerator<PackBand> {
      for (const [i, [key, , name]] of BANDS.entries()) {
        const band = read[i]!;
        const dn = toUint16Dn(band.data, band.nodata);
        if (cleared) {
          const { row0, row1, col0, col1 } = CHANGED_BLOCK;
          for (let r = row0; r < row1; r++)
            for (let c = col0; c < col1; c++) {
              const i = r * band.grid.width + c;
              if (key === 'nir') dn[i] = 1000 + 900;
              if (key === 'red') dn[i] = 1000 + 1500;
            }
        }
        yield {
          key,
          grid: band.grid,
          data: dn,
          nodata: 0,
          overviewResampling: 'average',
          asset: s2Asset(key, {
            href: `${folder}/${name}.tif`,
            grid: band.grid,
            dataType: 'uint16',
            nodata: 0,
            scale: 0.0001,
            offset: -0.1,
            gsd: 10,
          }),
        };
      }
    }
    return {
      item: {
        id: `dolomites-${folder}`,
        footprint: first.grid,
        time: monthInterval(2022, month),
        constellation: 'sentinel-2',
        processingBaseline: '04.00',
        properties: { 'pack:attribution': 'Contains modified Copernicus Sentinel data' },
      },
      bands: bands(),
    };
  };
  await buildPack([await scene(6, false), await scene(8, true)], async (file, bytes) => {
    await mkdir(dirname(join(outDir, file)), { recursive: true });
    await writeFile(join(outDir, file), bytes);
  });
}
