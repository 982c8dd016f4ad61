import { AppError } from '../errors.ts';
import { type LonLat, ringBBox, validatePolygon } from '../geo/index.ts';
import type { CompositeId } from '../render/index.ts';
import type { DnConvention } from '../scene/index.ts';
import { DEFAULT_LOAD_RESOLUTION, LOAD_RESOLUTIONS, type LoadResolution } from '../scene/index.ts';
import { type ChangeLink, parseChangeLink, writeChangeLink } from './change-link.ts';
import { type DisplayState, parseDisplayParams, writeDisplayParams } from './display-state.ts';
import { type PrecomputedLink, parsePrecomputedLink, writePrecomputedLink } from './precomputed-link.ts';

/**
 * What a shared link carries: the source, the view, the query and the clustering settings.
 * Opening it rebuilds the same view on another machine by recomputing everything locally.
 * Every field is validated; anything malformed is dropped and reported, never trusted.
 */
export interface ViewState {
  /**
   * `bbox` cuts a pack (and is a STAC search's area); `polygon`, a drawn area inside it
   * (open ring, WGS84), masks the pixels outside it; `resolutionM`, the pixel size the scene
   * was loaded at (absent: 10 m, the native grid).
   */
  source?:
    | {
        kind: 'pack';
        name: string;
        bbox?: [number, number, number, number];
        polygon?: LonLat[];
        resolutionM?: LoadResolution;
      }
    | {
        kind: 'stac';
        endpoint: string;
        bbox: [number, number, number, number];
        datetime: string;
        polygon?: LonLat[];
        resolutionM?: LoadResolution;
      };
  composite?: CompositeId;
  /** The STAC items (or pack item) the scene was read from, when the user chose them. */
  items?: string[];
  /** The encoder: its id, the first 12 hex digits of its variant's SHA-256, the resolution factor. */
  model?: { id: string; sha256?: string; factor?: number };
  query?: { lon: number; lat: number };
  /** Few-shot picks besides the query: places like it and unlike it. */
  positives?: { lon: number; lat: number }[];
  negatives?: { lon: number; lat: number }[];
  threshold?: number;
  k?: number;
  seed?: number;
  /** How the results are shown: layer order, visibility, opacity, hidden clusters, PCA. */
  display?: DisplayState;
  /**
   * The files a dropped-file source was read from (names only: a link cannot carry files).
   * Opening such a link asks for the same files instead of loading anything else.
   */
  files?: { names: string[]; convention?: DnConvention };
  /** Precomputed embeddings on screen instead of an encoder's (product, base URL, year, area). */
  precomputed?: PrecomputedLink;
  /** The change to another date mapped on screen (read and encoded again on opening). */
  change?: ChangeLink;
}

export interface ParsedViewState {
  state: ViewState;
  /** Parameters that were present but invalid, with why: shown to the user. */
  rejected: string[];
}

/** Links stay short enough for chat apps; more picks than this belong in a saved session. */
export const MAX_LINK_PICKS = 50;
const ITEM_ID = /^[A-Za-z0-9._-]{1,120}$/;
const MODEL = /^([a-z][a-z0-9-]{0,63})(?:@([0-9a-f]{12}))?$/;

function points(text: string): { lon: number; lat: number }[] | undefined {
  const out = text.split(';').map((part) => numbers(part, 2));
  if (out.length > MAX_LINK_PICKS) return undefined;
  if (!out.every((p) => p && Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90)) return undefined;
  return out.map((p) => ({ lon: p![0]!, lat: p![1]! }));
}

const COMPOSITE_IDS: readonly CompositeId[] = ['true-colour', 'false-colour', 'swir', 'ndvi'];
const PACK_NAME = /^[A-Za-z0-9._-]{1,100}$/;

function numbers(text: string, count: number): number[] | undefined {
  const parts = text.split(',').map(Number);
  return parts.length === count && parts.every(Number.isFinite) ? parts : undefined;
}

function validBox(bbox: number[] | undefined): bbox is [number, number, number, number] {
  return !!bbox && bbox[0]! < bbox[2]! && bbox[1]! < bbox[3]! && bbox[1]! >= -90 && bbox[3]! <= 90;
}

/** `poly=LON,LAT;LON,LAT;...` (open ring): a validated simple polygon, or why it is not one. */
function parsePolygon(text: string): LonLat[] | string {
  const corners = text.split(';').map((pair) => numbers(pair, 2));
  if (corners.some((c) => !c)) return 'poly: expected LON,LAT;LON,LAT;… in degrees';
  try {
    return validatePolygon(corners as LonLat[]);
  } catch (error) {
    return `poly: ${error instanceof AppError ? error.message : String(error)}`;
  }
}

export function parseViewState(search: string): ParsedViewState {
  const params = new URLSearchParams(search);
  const state: ViewState = {};
  const rejected: string[] = [];
  const pack = params.get('pack');
  if (pack !== null) {
    if (PACK_NAME.test(pack)) {
      state.source = { kind: 'pack', name: pack };
      const bbox = params.get('bbox');
      if (bbox !== null) {
        const box = numbers(bbox, 4);
        if (validBox(box)) state.source.bbox = box;
        else rejected.push('bbox: expected W,S,E,N in degrees');
      }
    } else rejected.push(`pack: "${pack.slice(0, 40)}" is not a pack name`);
  }
  const stac = params.get('stac');
  if (stac !== null) {
    const bbox = numbers(params.get('bbox') ?? '', 4);
    const datetime = params.get('datetime') ?? '';
    let url: URL | undefined;
    try {
      url = new URL(stac);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      rejected.push('stac: not an http(s) URL');
    else if (!validBox(bbox)) rejected.push('bbox: expected W,S,E,N in degrees');
    else if (!/^[\d:TZ.+-]+\/[\d:TZ.+-]+$/.test(datetime)) rejected.push('datetime: expected START/END');
    else
      state.source = {
        kind: 'stac',
        endpoint: url.href.replace(/\/$/, ''),
        bbox,
        datetime,
      };
  }
  const poly = params.get('poly');
  if (poly !== null && state.source) {
    const polygon = parsePolygon(poly);
    if (typeof polygon === 'string') rejected.push(polygon);
    // The area a polygon travels with is its bounding box, whatever `bbox` said.
    else state.source = { ...state.source, bbox: ringBBox(polygon), polygon };
  } else if (poly !== null) rejected.push('poly: a polygon needs a pack or stac source');
  const resM = params.get('res_m');
  if (resM !== null) {
    const value = LOAD_RESOLUTIONS.find((r) => String(r) === resM);
    if (!state.source) rejected.push('res_m: a load resolution needs a pack or stac source');
    else if (value === undefined)
      rejected.push(`res_m: expected a load resolution of ${LOAD_RESOLUTIONS.join(', ')} (metres)`);
    // 10 m is the default: a link that says so is the same as one that does not.
    else if (value !== DEFAULT_LOAD_RESOLUTION) state.source = { ...state.source, resolutionM: value };
  }
  const view = params.get('view');
  if (view !== null) {
    const id = COMPOSITE_IDS.find((c) => c === view);
    if (id) state.composite = id;
    else rejected.push(`view: unknown imagery view "${view.slice(0, 20)}"`);
  }
  const q = params.get('q');
  if (q !== null) {
    const p = numbers(q, 2);
    if (p && Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90) state.query = { lon: p[0]!, lat: p[1]! };
    else rejected.push('q: expected LON,LAT in degrees');
  }
  for (const [key, field] of [
    ['pos', 'positives'],
    ['neg', 'negatives'],
  ] as const) {
    const text = params.get(key);
    if (text === null) continue;
    const p = points(text);
    if (p) state[field] = p;
    else rejected.push(`${key}: expected up to ${MAX_LINK_PICKS} LON,LAT pairs separated by ";"`);
  }
  const items = params.get('items');
  if (items !== null) {
    const ids = items.split(',');
    if (ids.length <= 12 && ids.every((id) => ITEM_ID.test(id))) state.items = ids;
    else rejected.push('items: expected up to 12 scene ids separated by ","');
  }
  const model = params.get('model');
  if (model !== null) {
    const m = MODEL.exec(model);
    const res = params.get('res');
    const factor = res === null ? undefined : Number(res);
    if (!m) rejected.push('model: expected a model id, optionally @ and 12 hex digits of its SHA-256');
    else if (factor !== undefined && !(Number.isInteger(factor) && factor >= 1 && factor <= 64))
      rejected.push('res: expected a resolution factor from 1 to 64');
    else state.model = { id: m[1]!, sha256: m[2], factor };
  }
  const t = params.get('t');
  if (t !== null) {
    const v = Number(t);
    if (t !== '' && Number.isFinite(v) && v >= -1 && v <= 1) state.threshold = v;
    else rejected.push('t: expected a threshold from -1 to 1');
  }
  const k = params.get('k');
  if (k !== null) {
    const v = Number(k);
    if (Number.isInteger(v) && v >= 2 && v <= 20) state.k = v;
    else rejected.push('k: expected a whole number from 2 to 20');
  }
  const seed = params.get('seed');
  if (seed !== null) {
    const v = Number(seed);
    if (Number.isInteger(v) && v >= 0 && v < 2 ** 31) state.seed = v;
    else rejected.push('seed: expected a non-negative whole number');
  }
  const display = parseDisplayParams(params, rejected);
  if (display) state.display = display;
  const files = params.get('files');
  if (files !== null) {
    const names = files.split('/');
    if (state.source) rejected.push('files: a link names either files or a pack/stac source');
    else if (names.length <= 40 && names.every((n) => FILE_NAME.test(n))) state.files = { names };
    else rejected.push('files: expected up to 40 file names separated by "/"');
  }
  const dn = params.get('dn');
  if (dn !== null) {
    const convention = DN_CONVENTIONS.find((c) => c === dn);
    if (!state.files) rejected.push('dn: stored values are said only for files');
    else if (convention) state.files.convention = convention;
    else rejected.push(`dn: expected one of ${DN_CONVENTIONS.join(', ')}`);
  }
  const precomputed = parsePrecomputedLink(params, rejected);
  if (precomputed) state.precomputed = precomputed;
  const change = parseChangeLink(params, rejected);
  if (change) state.change = change;
  return { state, rejected };
}

const DN_CONVENTIONS: readonly DnConvention[] = ['offset-1000', 'no-offset', 'reflectance'];
/** A dropped file's name as a link may carry it: letters, digits and a few marks; no path, no leading dot. */
const FILE_NAME = /^[\p{L}\p{N}_(][\p{L}\p{N} ._()+,-]{0,119}$/u;

const round = (v: number, digits: number) => Number(v.toFixed(digits));

export function serializeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.source?.kind === 'pack') params.set('pack', state.source.name);
  if (state.source?.kind === 'stac') params.set('stac', state.source.endpoint);
  if (state.source?.bbox) params.set('bbox', state.source.bbox.join(','));
  if (state.source?.kind === 'stac') params.set('datetime', state.source.datetime);
  if (state.source?.polygon)
    params.set(
      'poly',
      state.source.polygon.map(([lon, lat]) => `${round(lon, 6)},${round(lat, 6)}`).join(';'),
    );
  const resolutionM = state.source?.resolutionM;
  if (resolutionM !== undefined && resolutionM !== DEFAULT_LOAD_RESOLUTION)
    params.set('res_m', String(resolutionM));
  if (state.items?.length) params.set('items', state.items.join(','));
  if (state.composite && state.composite !== 'true-colour') params.set('view', state.composite);
  if (state.model) {
    params.set(
      'model',
      state.model.sha256 ? `${state.model.id}@${state.model.sha256.slice(0, 12)}` : state.model.id,
    );
    if (state.model.factor !== undefined && state.model.factor !== 1)
      params.set('res', String(state.model.factor));
  }
  const pair = (p: { lon: number; lat: number }) => `${round(p.lon, 6)},${round(p.lat, 6)}`;
  if (state.query) params.set('q', pair(state.query));
  if (state.positives?.length)
    params.set('pos', state.positives.slice(0, MAX_LINK_PICKS).map(pair).join(';'));
  if (state.negatives?.length)
    params.set('neg', state.negatives.slice(0, MAX_LINK_PICKS).map(pair).join(';'));
  if (state.threshold !== undefined) params.set('t', String(round(state.threshold, 4)));
  if (state.k !== undefined) params.set('k', String(state.k));
  if (state.seed !== undefined) params.set('seed', String(state.seed));
  writeDisplayParams(params, state.display);
  if (state.files?.names.length && !state.source) {
    params.set('files', state.files.names.join('/'));
    if (state.files.convention) params.set('dn', state.files.convention);
  }
  writePrecomputedLink(params, state.precomputed);
  writeChangeLink(params, state.change);
  const text = params.toString();
  return text ? `?${text}` : '';
}
