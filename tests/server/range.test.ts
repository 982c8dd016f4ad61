import { describe, expect, it } from 'vitest';
import { parseRange } from '../../server/range.ts';

describe('parseRange', () => {
  it('no header', () => {
    expect(parseRange(undefined, 1000)).toEqual({ kind: 'none' });
    expect(parseRange('', 1000)).toEqual({ kind: 'none' });
  });

  it('a single closed range, clamped to the end', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 99 }] });
    expect(parseRange('bytes=0-0', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 0 }] });
    expect(parseRange('bytes=999-999', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 999, end: 999 }] });
    expect(parseRange('bytes=500-5000', 1000)).toEqual({
      kind: 'ranges',
      ranges: [{ start: 500, end: 999 }],
    });
    expect(parseRange(' Bytes=10-19 ', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 10, end: 19 }] });
  });

  it('an open-ended range', () => {
    expect(parseRange('bytes=500-', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 500, end: 999 }] });
    expect(parseRange('bytes=0-', 1)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 0 }] });
  });

  it('a suffix range (the last N bytes, all of them when N exceeds the size)', () => {
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 900, end: 999 }] });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 999 }] });
  });

  it('several ranges, in the order given, dropping the unsatisfiable ones', () => {
    expect(parseRange('bytes=0-9, 20-29,-5', 1000)).toEqual({
      kind: 'ranges',
      ranges: [
        { start: 0, end: 9 },
        { start: 20, end: 29 },
        { start: 995, end: 999 },
      ],
    });
    expect(parseRange('bytes=0-9,2000-3000', 1000)).toEqual({
      kind: 'ranges',
      ranges: [{ start: 0, end: 9 }],
    });
  });

  it('invalid headers (ignored by the server: full response)', () => {
    for (const header of [
      'bytes=',
      'bytes=abc',
      'bytes=-',
      'bytes=5-2',
      'items=0-10',
      '0-10',
      'bytes=0-9,x',
      'bytes=1.5-2',
    ]) {
      expect(parseRange(header, 1000), header).toEqual({ kind: 'invalid' });
    }
  });

  it('unsatisfiable ranges (416)', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=1000-2000', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=2000-,3000-4000', 1000)).toEqual({ kind: 'unsatisfiable' });
  });

  it('an empty resource has no satisfiable byte range, suffix ranges included', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-10', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
