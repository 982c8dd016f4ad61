/**
 * Item search over in-memory STAC items, as a STAC API's /search does it: collections,
 * ids, bbox / intersects, datetime interval, `query` on eo:cloud_cover (and any numeric
 * property), sortby, limit and an offset token for paging. Pure: the HTTP side is stac-api.ts.
 */

export type Json = Record<string, unknown>;

export interface SearchParams {
  collections?: string[];
  ids?: string[];
  bbox?: number[];
  intersects?: { type: string; coordinates: unknown };
  datetime?: string;
  query?: Record<string, Record<string, number>>;
  sortby?: { field: string; direction: 'asc' | 'desc' }[];
  limit?: number;
  token?: string;
}

export class SearchError extends Error {}

function interval(datetime: string): [number, number] {
  const parts = datetime.split('/');
  const parse = (s: string | undefined, open: number) => {
    if (s === undefined || s === '' || s === '..') return open;
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) throw new SearchError(`datetime: '${s}' is not an RFC 3339 date-time`);
    return ms;
  };
  if (parts.length === 1) {
    const t = parse(parts[0], Number.NaN);
    return [t, t];
  }
  if (parts.length !== 2) throw new SearchError(`datetime: '${datetime}' is not a date-time or an interval`);
  return [parse(parts[0], Number.NEGATIVE_INFINITY), parse(parts[1], Number.POSITIVE_INFINITY)];
}

function itemInterval(item: Json): [number, number] {
  const p = (item.properties ?? {}) as Json;
  const start = typeof p.datetime === 'string' ? p.datetime : p.start_datetime;
  const end = typeof p.datetime === 'string' ? p.datetime : p.end_datetime;
  return [Date.parse(String(start)), Date.parse(String(end))];
}

/** GeoJSON nests coordinates at most four deep (MultiPolygon); deeper is not a geometry. */
const MAX_COORDINATE_DEPTH = 4;

/**
 * Bounding box of GeoJSON coordinates, walked without recursion and refused past
 * MAX_COORDINATE_DEPTH, so a 100 000-deep array is a 400, not a stack overflow.
 */
function coordsBBox(coords: unknown): number[] {
  const out = [Infinity, Infinity, -Infinity, -Infinity];
  const stack: [unknown, number][] = [[coords, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, depth] = next;
    if (!Array.isArray(value)) continue;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      out[0] = Math.min(out[0]!, value[0]);
      out[1] = Math.min(out[1]!, value[1]);
      out[2] = Math.max(out[2]!, value[0]);
      out[3] = Math.max(out[3]!, value[1]);
      continue;
    }
    if (depth >= MAX_COORDINATE_DEPTH)
      throw new SearchError(`intersects: coordinates nested deeper than ${MAX_COORDINATE_DEPTH} levels`);
    for (const item of value) stack.push([item, depth + 1]);
  }
  return out;
}

function searchBBox(params: SearchParams): number[] | undefined {
  // `intersects` is matched by its bounding box: exact enough for tile-sized footprints.
  if (params.intersects) {
    const box = coordsBBox(params.intersects.coordinates);
    if (!box.every(Number.isFinite)) throw new SearchError('intersects: no coordinates');
    return box;
  }
  if (!params.bbox) return undefined;
  const b = params.bbox;
  if (!(b.length === 4 || b.length === 6) || !b.every(Number.isFinite))
    throw new SearchError('bbox: expected 4 (or 6) numbers');
  return b.length === 6 ? [b[0]!, b[1]!, b[3]!, b[4]!] : b;
}

function property(item: Json, field: string): unknown {
  const name = field.replace(/^properties\./, '');
  if (name === 'id') return item.id;
  return ((item.properties ?? {}) as Json)[name];
}

const OPS: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

export interface SearchResult {
  features: Json[];
  matched: number;
  /** Offset token of the next page, when there is one. */
  next: string | undefined;
}

/** Filters, sorts and pages `items` (each carrying its `collection`). */
export function searchItems(items: readonly Json[], params: SearchParams): SearchResult {
  const bbox = searchBBox(params);
  const [t0, t1] = params.datetime
    ? interval(params.datetime)
    : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const limit = params.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new SearchError('limit: expected an integer 1..10000');
  const offset =
    params.token === undefined ? 0 : Number(/^offset:(\d+)$/.exec(params.token)?.[1] ?? Number.NaN);
  if (!Number.isInteger(offset))
    throw new SearchError(`token: '${params.token}' is not a token of this server`);
  const matches = items.filter((item) => {
    if (params.collections?.length && !params.collections.includes(String(item.collection))) return false;
    if (params.ids?.length && !params.ids.includes(String(item.id))) return false;
    if (bbox) {
      const b = item.bbox as number[];
      const [w, s, e, n] = b.length === 6 ? [b[0]!, b[1]!, b[3]!, b[4]!] : b;
      if (w! > bbox[2]! || e! < bbox[0]! || s! > bbox[3]! || n! < bbox[1]!) return false;
    }
    const [i0, i1] = itemInterval(item);
    if (i1 < (Number.isNaN(t0) ? t1 : t0) || i0 > (Number.isNaN(t1) ? t0 : t1)) return false;
    for (const [field, ops] of Object.entries(params.query ?? {})) {
      const value = property(item, field);
      for (const [op, bound] of Object.entries(ops)) {
        const test = OPS[op];
        if (!test) throw new SearchError(`query.${field}.${op}: unknown operator (use eq, lt, lte, gt, gte)`);
        if (typeof value !== 'number' || !test(value, bound)) return false;
      }
    }
    return true;
  });
  const sortby = params.sortby?.length
    ? params.sortby
    : [{ field: 'properties.datetime', direction: 'desc' as const }];
  matches.sort((a, b) => {
    for (const { field, direction } of sortby) {
      const va = field.endsWith('datetime') ? itemInterval(a)[0] : property(a, field);
      const vb = field.endsWith('datetime') ? itemInterval(b)[0] : property(b, field);
      const d =
        typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      if (d !== 0) return direction === 'desc' ? -d : d;
    }
    return String(a.id).localeCompare(String(b.id));
  });
  const page = matches.slice(offset, offset + limit);
  return {
    features: page,
    matched: matches.length,
    next: offset + limit < matches.length ? `offset:${offset + limit}` : undefined,
  };
}
