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
