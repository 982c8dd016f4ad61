import { describe, expect, it } from 'vitest';
import { cornerProjector } from '../../src/lib/export/corner-projector.ts';
import { exportFileName, sanitiseNamePart } from '../../src/lib/export/file-names.ts';
import { metresPerPixel, scaleBar } from '../../src/lib/export/scale-bar.ts';
import { converter } from '../../src/lib/geo/index.ts';
import { utmGrid } from './helpers.ts';

describe('exportFileName', () => {
  it('builds product_qualifier_scene_date.ext', () => {
    expect(
      exportFileName({
        product: 'clusters',
        qualifier: 'k6',
        sceneId: 'S2B_32TQM_20220704_0_L2A',
        datetime: '2022-07-04T10:15:59.024Z',
        extension: 'tif',
      }),
    ).toBe('clusters_k6_S2B_32TQM_20220704_0_L2A_2022-07-04.tif');
  });

  it('sanitises ids from dropped files and refuses empty names', () => {
    const name = exportFileName({
      product: 'similarity',
      sceneId: 'files:B04.tif, ../B08.tif',
      extension: '.tif',
    });
    expect(name).toBe('similarity_files-B04.tif-B08.tif.tif');
    expect(sanitiseNamePart('../../etc/passwd')).toBe('etc-passwd');
    expect(sanitiseNamePart('Café Ω x')).toBe('Cafe-x');
    expect(sanitiseNamePart('a'.repeat(200))).toHaveLength(80);
    expect(() => exportFileName({ product: '***', extension: 'csv' })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});

describe('scale bar', () => {
  it('ground resolution of a 512-pixel Web Mercator world', () => {
    expect(metresPerPixel(0, 0)).toBeCloseTo(78271.517, 2);
    expect(metresPerPixel(60, 1)).toBeCloseTo(78271.517 / 4, 2);
  });

  it('picks the longest 1-2-5 length that fits', () => {
    expect(scaleBar(10, 120)).toEqual({ metres: 1000, pixels: 100, label: '1 km' });
    expect(scaleBar(1.7, 120)).toMatchObject({ metres: 200, label: '200 m' });
    expect(scaleBar(45, 120)).toMatchObject({ metres: 5000, label: '5 km' });
    expect(() => scaleBar(0, 120)).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });
});

describe('cornerProjector', () => {
  it('interpolated corners match proj4 to far below the 1e-7° output rounding', () => {
    const grid = utmGrid(1000, 700);
    const project = cornerProjector(grid);
    const exact = converter(32632, 4326);
    const out = new Float64Array(2);
    let worst = 0;
    for (const [x, y] of [
      [0, 0],
      [7, 3],
      [333, 517],
      [999, 1],
      [1000, 700],
      [15, 699],
    ] as const) {
      project(x, y, out);
      const [lon, lat] = exact([740000 + x * 10, 5170000 - y * 10]);
      worst = Math.max(worst, Math.abs((out[0] ?? 0) - lon), Math.abs((out[1] ?? 0) - lat));
    }
    expect(worst).toBeLessThan(1e-8);
  });
});
