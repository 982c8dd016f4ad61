import { describe, expect, it } from 'vitest';
import { coalesceRanges, ifRangeHolds, MAX_RANGES, parseRange, planRanges } from '../../server/range.ts';

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

describe('coalesceRanges, planRanges, If-Range', () => {
  const current = { etag: '"abc-3e8"', lastModified: 'Wed, 19 Feb 2020 11:00:00 GMT' };

  it('merges overlapping and touching ranges, sorted', () => {
    expect(
      coalesceRanges([
        { start: 500, end: 599 },
        { start: 0, end: 9 },
        { start: 10, end: 19 },
        { start: 550, end: 700 },
      ]),
    ).toEqual([
      { start: 0, end: 19 },
      { start: 500, end: 700 },
    ]);
  });

  it('a hundred copies of one range are one range', () => {
    const header = `bytes=${Array.from({ length: 100 }, () => '0-').join(',')}`;
    expect(planRanges(header, undefined, 1000, current)).toEqual({
      kind: 'ranges',
      ranges: [{ start: 0, end: 999 }],
    });
  });

  it('more distinct ranges than MAX_RANGES: the whole file', () => {
    const header = `bytes=${Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',')}`;
    expect(planRanges(header, undefined, 10_000, current)).toEqual({ kind: 'whole' });
  });

  it('If-Range: exact strong ETag or exact date, else the whole file', () => {
    expect(ifRangeHolds(undefined, current)).toBe(true);
    expect(ifRangeHolds('"abc-3e8"', current)).toBe(true);
    expect(ifRangeHolds(current.lastModified, current)).toBe(true);
    expect(ifRangeHolds('W/"abc-3e8"', current)).toBe(false);
    expect(ifRangeHolds('"other"', current)).toBe(false);
    expect(ifRangeHolds('Thu, 20 Feb 2020 11:00:00 GMT', current)).toBe(false);
    expect(planRanges('bytes=0-9', '"other"', 1000, current)).toEqual({ kind: 'whole' });
    expect(planRanges('bytes=2000-', '"other"', 1000, current)).toEqual({ kind: 'whole' });
    expect(planRanges('bytes=2000-', current.etag, 1000, current)).toEqual({ kind: 'unsatisfiable' });
  });
});
