/** Top-k places as CSV (RFC 4180: comma separated, CRLF line ends, a header row). */
import Papa from 'papaparse';
import type { Place } from '../analysis/index.ts';
import type { GridSpec } from '../geo/index.ts';
import { placeRecords } from './places.ts';

export const PLACES_CSV_COLUMNS = ['rank', 'lon', 'lat', 'score', 'col', 'row'] as const;

/** CSV text: rank, lon, lat (WGS84 pixel centre), score (cosine similarity), col, row. */
export function placesToCsv(places: readonly Place[], grid: GridSpec): string {
  const rows = placeRecords(places, grid).map((p) => PLACES_CSV_COLUMNS.map((c) => p[c]));
  // papaparse quotes only fields that need it; it ends a header-only table with a line break
  // but not the last record, so the text is normalised to end with exactly one CRLF.
  const text = Papa.unparse({ fields: [...PLACES_CSV_COLUMNS], data: rows }, { newline: '\r\n' });
  return `${text.replace(/(\r\n)+$/, '')}\r\n`;
}
