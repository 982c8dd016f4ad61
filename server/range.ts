/** One satisfiable byte range, inclusive bounds as in HTTP. */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeParse =
  | { kind: 'none' }
  | { kind: 'ranges'; ranges: ByteRange[] }
  | { kind: 'unsatisfiable' }
  | { kind: 'invalid' };

/**
 * Parses an HTTP Range header (RFC 9110 §14) against a resource of `size` bytes.
 * A syntactically invalid header is ignored by the caller (full 200 response, as the RFC
 * allows); ranges that all start past the end are unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): RangeParse {
  if (header === undefined || header === '') return { kind: 'none' };
  const match = /^bytes=(.+)$/i.exec(header.trim());
  if (!match?.[1]) return { kind: 'invalid' };
  const ranges: ByteRange[] = [];
  for (const part of match[1].split(',')) {
    const spec = /^\s*(\d*)-(\d*)\s*$/.exec(part);
    if (!spec) return { kind: 'invalid' };
    const [, first = '', last = ''] = spec;
    if (first === '' && last === '') return { kind: 'invalid' };
    if (first === '') {
      const suffix = Number(last);
      // An empty resource has no last bytes to send (its range would be 0--1).
      if (suffix === 0 || size === 0) continue;
      ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(first);
    const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return { kind: 'invalid' };
    if (start >= size) continue;
    ranges.push({ start, end });
  }
  if (ranges.length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'ranges', ranges };
}

/**
 * More ranges than any client of these servers sends (the app's COG reader asks one range per
 * request); beyond it the header is a broken client or an attack, and RFC 9110 §14.2 lets the
 * server ignore it: the whole file is sent once (200).
 */
export const MAX_RANGES = 32;

/**
 * Sorts ranges and merges those that overlap or touch (RFC 9110 §14.2 allows coalescing), so
 * `bytes=0-,0-,…` asks for the file once: the bytes sent never exceed the file's size.
 */
export function coalesceRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** What to send for a GET of a file: the whole file, some ranges of it, or 416. */
export type RangePlan =
  | { kind: 'whole' }
  | { kind: 'ranges'; ranges: ByteRange[] }
  | { kind: 'unsatisfiable' };

/** The file's current validators, as sent in ETag and Last-Modified. */
export interface Validators {
  etag: string;
  lastModified: string;
}

/**
 * `If-Range` (RFC 9110 §13.1.5): the range applies only when the client's validator names the
 * current file, a strong ETag compared exactly or the exact Last-Modified date; otherwise the
 * client holds another version and gets the whole new file.
 */
export function ifRangeHolds(header: string | undefined, current: Validators): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('W/')) return false;
  if (value.startsWith('"')) return value === current.etag;
  return value === current.lastModified;
}

/** The response plan for a Range (and If-Range) header against a file of `size` bytes. */
export function planRanges(
  range: string | undefined,
  ifRange: string | undefined,
  size: number,
  current: Validators,
): RangePlan {
  const parsed = parseRange(range, size);
  if (parsed.kind === 'none' || parsed.kind === 'invalid') return { kind: 'whole' };
  if (!ifRangeHolds(ifRange, current)) return { kind: 'whole' };
  if (parsed.kind === 'unsatisfiable') return { kind: 'unsatisfiable' };
  const ranges = coalesceRanges(parsed.ranges);
  if (ranges.length > MAX_RANGES) return { kind: 'whole' };
  return { kind: 'ranges', ranges };
}
