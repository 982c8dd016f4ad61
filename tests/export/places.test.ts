import { check } from '@placemarkio/check-geojson';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Place } from '../../src/lib/analysis/index.ts';
import { PLACES_CSV_COLUMNS, placesToCsv } from '../../src/lib/export/places-csv.ts';
import { placesToGeoJson } from '../../src/lib/export/places-geojson.ts';
import { converter } from '../../src/lib/geo/index.ts';
import { utmGrid } from './helpers.ts';

const grid = utmGrid(100, 80);
const places: Place[] = [
  { index: 5 * 100 + 7, col: 7, row: 5, score: 1 },
  { index: 60 * 100 + 90, col: 90, row: 60, score: 0.9876543 },
  { index: 79 * 100 + 99, col: 99, row: 79, score: -0.25 },
];

function pixelCentre(col: number, row: number): [number, number] {
  return converter(32632, 4326)([740000 + (col + 0.5) * 10, 5170000 - (row + 0.5) * 10]);
}

describe('places exports', () => {
  it('CSV: RFC 4180 with a header, CRLF line ends, and values that parse back', () => {
    const csv = placesToCsv(places, grid);
    expect(csv.split('\r\n')[0]).toBe('rank,lon,lat,score,col,row');
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows: Record<string, string>[] = parse(csv, { columns: true, record_delimiter: '\r\n' });
    expect(Object.keys(rows[0] ?? {})).toEqual([...PLACES_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const place = places[i] as Place;
      const [lon, lat] = pixelCentre(place.col, place.row);
      expect(Number(row.rank)).toBe(i + 1);
      expect(Number(row.score)).toBe(place.score);
      expect([Number(row.col), Number(row.row)]).toEqual([place.col, place.row]);
      expect(Number(row.lon)).toBeCloseTo(lon, 6);
      expect(Number(row.lat)).toBeCloseTo(lat, 6);
    });
  });

  it('GeoJSON: valid FeatureCollection of points at pixel centres, best first', () => {
    const fc = placesToGeoJson(places, grid);
    check(JSON.stringify(fc));
    expect(fc.features.map((f) => f.properties)).toEqual([
      { rank: 1, score: 1, col: 7, row: 5 },
      { rank: 2, score: 0.9876543, col: 90, row: 60 },
      { rank: 3, score: -0.25, col: 99, row: 79 },
    ]);
    const [lon, lat] = pixelCentre(90, 60);
    const coords = fc.features[1]?.geometry.coordinates ?? [];
    expect(coords[0]).toBeCloseTo(lon, 6);
    expect(coords[1]).toBeCloseTo(lat, 6);
  });

  it('no places: a header-only CSV and an empty collection', () => {
    expect(placesToCsv([], grid)).toBe('rank,lon,lat,score,col,row\r\n');
    expect(placesToGeoJson([], grid).features).toEqual([]);
  });

  it('refuses places outside the scene', () => {
    const outside = [{ index: 0, col: 100, row: 0, score: 1 }];
    expect(() => placesToCsv(outside, grid)).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });
});
