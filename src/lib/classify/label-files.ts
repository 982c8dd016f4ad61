/**
 * Labels to and from files: GeoJSON (Point/MultiPoint/Polygon/MultiPolygon features with a
 * `class` property, in WGS84 or any CRS the app knows that the file declares in its `crs`
 * member) and CSV (lon, lat, class). Every bad row is listed with its reason; the good ones
 * are kept. Classes named in a file but not yet defined are created.
 */
import Papa from 'papaparse';
import { AppError } from '../errors.ts';
import type { LonLat } from '../geo/index.ts';
import { converter } from '../geo/index.ts';
import { addClass, classByName } from './classes.ts';
import { addLabels, checkGeometry } from './labels.ts';
import type { LabelGeometry, LabelState } from './types.ts';

/** One refused row: 1-based feature number (GeoJSON) or line number (CSV), and why. */
export interface RowError {
  row: number;
  reason: string;
}

export interface LabelImport {
  state: LabelState;
  added: number;
  errors: RowError[];
}

interface Parsed {
  row: number;
  className: string;
  geometry: LabelGeometry;
}

function message(error: unknown): string {
  return error instanceof AppError ? error.message : 'it could not be read';
}

/** Adds parsed rows, creating classes by name; rows whose class or geometry fails are listed. */
function addParsed(state: LabelState, rows: readonly Parsed[], errors: RowError[]): LabelImport {
  let s = state;
  let added = 0;
  for (const row of rows) {
    try {
      if (!classByName(s, row.className)) s = addClass(s, row.className);
      const cls = classByName(s, row.className);
      if (!cls) throw new AppError('internal', 'class vanished');
      s = addLabels(s, cls.id, [row.geometry]);
      added++;
    } catch (error) {
      errors.push({ row: row.row, reason: message(error) });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return { state: s, added, errors };
}

const EPSG_IN_NAME = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i;

/** The EPSG code a GeoJSON's legacy `crs` member names; 4326 (RFC 7946) when absent. */
export function geoJsonEpsg(doc: Record<string, unknown>): number {
  const crs = doc.crs as { properties?: { name?: unknown } } | undefined;
  if (crs === undefined || crs === null) return 4326;
  const name = crs.properties?.name;
  if (typeof name !== 'string') throw new AppError('bad-input', 'The GeoJSON "crs" member has no name.');
  if (/CRS84$/i.test(name)) return 4326;
  const m = EPSG_IN_NAME.exec(name.trim());
  if (!m) throw new AppError('unsupported', `The GeoJSON CRS "${name}" is not an EPSG code the app knows.`);
  return Number(m[1]);
}

function position(value: unknown, toWgs: (p: [number, number]) => [number, number]): LonLat {
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'number') {
    throw new AppError('bad-input', 'a coordinate is not a pair of numbers');
  }
  return toWgs([value[0], value[1]]);
}

function geometries(geometry: unknown, toWgs: (p: [number, number]) => [number, number]): LabelGeometry[] {
  if (typeof geometry !== 'object' || geometry === null)
    throw new AppError('bad-input', 'it has no geometry');
  const g = geometry as { type?: unknown; coordinates?: unknown };
  const coords = g.coordinates;
  const list = (v: unknown): unknown[] => {
    if (!Array.isArray(v))
      throw new AppError('bad-input', `its ${String(g.type)} coordinates are not a list`);
    return v;
  };
  // Only the outer ring of a polygon is kept: label polygons with holes are rare and a hole
  // would otherwise be labelled as the class.
  const polygon = (rings: unknown): LabelGeometry => ({
    kind: 'polygon',
    ring: list(list(rings)[0]).map((p) => position(p, toWgs)),
  });
  switch (g.type) {
    case 'Point':
      return [{ kind: 'point', at: position(coords, toWgs) }];
    case 'MultiPoint':
      return list(coords).map((p) => ({ kind: 'point', at: position(p, toWgs) }));
    case 'Polygon':
      return [polygon(coords)];
    case 'MultiPolygon':
      return list(coords).map(polygon);
    default:
      throw new AppError('bad-input', `its geometry type ${String(g.type)} is not a point or polygon`);
  }
}

function className(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '')
    throw new AppError('bad-input', 'it has no "class" property');
  return value.trim();
}

/** Reads a GeoJSON FeatureCollection (or one Feature) of labels into `state`. */
export function importGeoJsonLabels(state: LabelState, text: string): LabelImport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AppError('bad-input', 'The labels file is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null)
    throw new AppError('bad-input', 'The labels file is not GeoJSON.');
  const root = doc as Record<string, unknown>;
  const features =
    root.type === 'Feature' ? [root] : root.type === 'FeatureCollection' ? root.features : undefined;
  if (!Array.isArray(features))
    throw new AppError('bad-input', 'The labels file is not a GeoJSON FeatureCollection.');
  const toWgs = converter(geoJsonEpsg(root), 4326);
  const rows: Parsed[] = [];
  const errors: RowError[] = [];
  features.forEach((feature: unknown, i) => {
    const row = i + 1;
    try {
      const f = feature as { properties?: Record<string, unknown> | null; geometry?: unknown };
      const name = className(f.properties?.class);
      for (const geometry of geometries(f.geometry, toWgs)) {
        rows.push({ row, className: name, geometry: checkGeometry(geometry) });
      }
    } catch (error) {
      errors.push({ row, reason: message(error) });
    }
  });
  return addParsed(state, rows, errors);
}

const LON = ['lon', 'longitude', 'lng', 'x'];
const LAT = ['lat', 'latitude', 'y'];

/** Reads CSV rows `lon,lat,class` (header required, names case-insensitive) into `state`. */
export function importCsvLabels(state: LabelState, text: string): LabelImport {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = parsed.meta.fields ?? [];
  const lonKey = fields.find((f) => LON.includes(f));
  const latKey = fields.find((f) => LAT.includes(f));
  if (!lonKey || !latKey || !fields.includes('class')) {
    throw new AppError('bad-input', 'The CSV needs a header with lon, lat and class columns.');
  }
  const rows: Parsed[] = [];
  const errors: RowError[] = [];
  parsed.data.forEach((record, i) => {
    const row = i + 2; // line 1 is the header
    try {
      const lon = Number(record[lonKey]);
      const lat = Number(record[latKey]);
      if (
        record[lonKey]?.trim() === '' ||
        record[latKey]?.trim() === '' ||
        !Number.isFinite(lon) ||
        !Number.isFinite(lat)
      ) {
        throw new AppError('bad-input', 'lon and lat must be numbers');
      }
      rows.push({
        row,
        className: className(record.class),
        geometry: checkGeometry({ kind: 'point', at: [lon, lat] }),
      });
    } catch (error) {
      errors.push({ row, reason: message(error) });
    }
  });
  return addParsed(state, rows, errors);
}

/** Labels as a GeoJSON FeatureCollection in WGS84: `class` (name), `class_value`, `colour`. */
export function labelsToGeoJson(state: LabelState): string {
  const classes = new Map(state.classes.map((c, i) => [c.id, { ...c, value: i }]));
  const features = state.labels.flatMap((l) => {
    const c = classes.get(l.classId);
    if (!c) return [];
    const geometry =
      l.geometry.kind === 'point'
        ? { type: 'Point', coordinates: l.geometry.at }
        : { type: 'Polygon', coordinates: [[...l.geometry.ring, l.geometry.ring[0]]] };
    return [
      { type: 'Feature', geometry, properties: { class: c.name, class_value: c.value, colour: c.colour } },
    ];
  });
  return JSON.stringify({ type: 'FeatureCollection', features });
}

/**
 * Point labels as CSV (lon,lat,class). CSV holds points only: polygon labels are counted in
 * `skippedPolygons` so the caller can say so (GeoJSON keeps them).
 */
export function labelsToCsv(state: LabelState): { csv: string; skippedPolygons: number } {
  const names = new Map(state.classes.map((c) => [c.id, c.name]));
  let skippedPolygons = 0;
  const data: (string | number)[][] = [];
  for (const l of state.labels) {
    if (l.geometry.kind !== 'point') {
      skippedPolygons++;
      continue;
    }
    data.push([l.geometry.at[0], l.geometry.at[1], names.get(l.classId) ?? '']);
  }
  return { csv: Papa.unparse({ fields: ['lon', 'lat', 'class'], data }, { newline: '\n' }), skippedPolygons };
}
