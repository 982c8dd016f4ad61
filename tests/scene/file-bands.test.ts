import { describe, expect, it } from 'vitest';
import { bandFromFileName } from '../../src/lib/scene/file-bands.ts';

describe('bandFromFileName', () => {
  it('recognises the names the brief and users give', () => {
    const cases: [string, string | undefined][] = [
      ['sentinel.dolomites.b2.tif', 'blue'],
      ['sentinel.dolomites.b8.tif', 'nir'],
      ['B8A.tif', 'nir08'],
      ['b8a.TIF', 'nir08'],
      ['B04.tif', 'red'],
      ['B4.tif', 'red'],
      ['B12.tif', 'swir22'],
      ['T32TQS_20220601_B04_10m.tif', 'red'],
      ['T32TQS_20220601T101559_B8A_20m.jp2', 'nir08'],
      ['T29RKH_20200219T112111_SCL_20m.tif', 'scl'],
      ['red.tif', 'red'],
      ['scene-swir16.tif', 'swir16'],
      ['nir08.tif', 'nir08'],
      ['SCL.tif', 'scl'],
      ['scl.tiff', 'scl'],
      ['notes.tif', undefined],
      ['B13.tif', undefined],
      ['B00.tif', undefined],
      ['abb2.tif', undefined],
      ['scaled.tif', undefined],
      ['TCI.tif', undefined],
    ];
    for (const [name, band] of cases) expect(bandFromFileName(name), name).toBe(band);
  });
});
