import { describe, expect, it } from 'vitest';
import { sampleCog } from '../../scripts/fuzz/tiff-targets.ts';
import { describeFiles, dialogDefaults } from '../../src/lib/scene/file-dialog.ts';
import { groupFilesByDate, type InspectedFile } from '../../src/lib/scene/file-groups.ts';

function file(name: string, date?: string): InspectedFile {
  return {
    file: { name, file: new Blob([]) },
    inspection: {
      name,
      samples: 1,
      bands: [],
      bandsFrom: 'nothing',
      ...(date ? { date: { iso: date, from: 'its file name' } } : {}),
    },
  };
}

const names = (groups: ReturnType<typeof groupFilesByDate>) =>
  groups.map((g) => `${g.date ?? '-'}${g.given ? '!' : ''}: ${g.files.map((f) => f.name).join(' ')}`);

describe('groupFilesByDate: dropped files as the dates of a time series', () => {
  it('one date per file when given (files of one date together), oldest first', () => {
    const files = [file('d3.tif'), file('d1.tif'), file('d2.tif')];
    expect(names(groupFilesByDate(files, ['2015-08-30', '2015-07-31', '2015-08-30']))).toEqual([
      '2015-07-31!: d1.tif',
      '2015-08-30!: d3.tif d2.tif',
    ]);
    expect(() => groupFilesByDate(files, ['2015-08-30'])).toThrow(
      '1 date(s) for 3 file(s): give one date per file, in the order of the files.',
    );
    expect(() => groupFilesByDate(files, ['2015-08-30', 'soon', '2015-08-31'])).toThrow(
      '"soon" is not a date; give dates as YYYY-MM-DD.',
    );
  });

  it('else by the dates the files state; undated files join the only date, or are an error', () => {
    const files = [
      file('S2A_MSIL2A_20170703T101031_B04.tif', '2017-07-03T10:10:31Z'),
      file('S2A_MSIL2A_20170613T101031_B04.tif', '2017-06-13T10:10:31Z'),
      file('S2A_MSIL2A_20170613T101031_B03.tif', '2017-06-13T10:10:31Z'),
    ];
    expect(names(groupFilesByDate(files))).toEqual([
      '2017-06-13: S2A_MSIL2A_20170613T101031_B04.tif S2A_MSIL2A_20170613T101031_B03.tif',
      '2017-07-03: S2A_MSIL2A_20170703T101031_B04.tif',
    ]);
    expect(names(groupFilesByDate([file('B02.tif'), file('x_2017-06-13.tif', '2017-06-13')]))).toEqual([
      '2017-06-13: B02.tif x_2017-06-13.tif',
    ]);
    expect(names(groupFilesByDate([file('B02.tif'), file('B03.tif')]))).toEqual(['-: B02.tif B03.tif']);
    expect(() => groupFilesByDate([...files, file('B02.tif')])).toThrow(
      'B02.tif carries no date while the other files carry 2 dates: give one date per file.',
    );
  });
});

describe('dialogDefaults: what the files dialog pre-fills', () => {
  it('band order from a described stack, the one stated date and convention, with where they came from', () => {
    const stack: InspectedFile['inspection'] = {
      name: 'stack.tif',
      samples: 3,
      bands: [
        { kind: 'unused', code: 'B01', why: 'coastal aerosol, 60 m' },
        { kind: 'band', band: 'blue' },
        { kind: 'band', band: 'nir08' },
      ],
      bandsFrom: 'band descriptions',
      date: { iso: '2015-07-31T10:20:06Z', from: 'its metadata (ACQUISITION_DATE)' },
      convention: { value: 'no-offset', from: 'its metadata (BOA_ADD_OFFSET = 0)' },
    };
    const found = dialogDefaults([stack]);
    expect(found).toEqual({
      bandOrder: 'B01,B02,B8A',
      convention: 'no-offset',
      date: '2015-07-31',
      dates: ['2015-07-31'],
      notes: [
        'Band order of stack.tif from its band descriptions.',
        'Stored values: no-offset, from stack.tif: its metadata (BOA_ADD_OFFSET = 0).',
        'Date 2015-07-31 from stack.tif: its metadata (ACQUISITION_DATE).',
      ],
    });
    const bare = { ...stack, bands: [undefined, undefined, undefined], bandsFrom: 'nothing' as const };
    expect(dialogDefaults([bare]).bandOrder).toBeUndefined();
    expect(dialogDefaults([bare]).notes[0]).toBe(
      'stack.tif holds 3 bands its descriptions do not name: give the band order.',
    );
  });
});

describe('describeFiles: files the dialog cannot read', () => {
  it('the file dialog says so in one sentence per file', async () => {
    const text = new File([new TextEncoder().encode('a,b\n1,2\n')], 'places.tif');
    const cut = new File([new Uint8Array(sampleCog().slice(0, 6))], 'cut.tif');
    const notes = (await describeFiles([text, cut])).notes.join(' ');
    expect(notes).toMatch(/Cannot read: places\.tif is not a GeoTIFF[\s\S]*\. cut\.tif [\s\S]*\.$/);
    expect(notes).not.toMatch(/\.\./);
    expect(notes).not.toMatch(/Invalid|DataView|TypeError|RangeError/);
  });
});
