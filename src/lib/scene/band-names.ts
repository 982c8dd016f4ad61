import { AppError } from '../errors.ts';
import { type BandKey, S2_BAND_NAMES } from '../stac/index.ts';
import { SCENE_BANDS } from './load-item.ts';

/**
 * What a band name (a GDAL band description, a file name's token, a `--bands` entry) says:
 * a band the scene reads, a Sentinel-2 band no encoder uses (skipped with a note), or a
 * deliberate skip ("-", "skip").
 */
export type BandName =
  | { kind: 'band'; band: BandKey }
  | { kind: 'unused'; code: string; why: string }
  | { kind: 'skip' };

/** Common (STAC eo:common_name and Earth Search) names, lower case, to the scene's band keys. */
const COMMON_NAMES: Readonly<Record<string, BandKey>> = {
  blue: 'blue',
  green: 'green',
  red: 'red',
  rededge1: 'rededge1',
  rededge2: 'rededge2',
  rededge3: 'rededge3',
  nir: 'nir',
  nir08: 'nir08',
  nir09: 'nir09',
  narrownir: 'nir08',
  swir16: 'swir16',
  swir22: 'swir22',
  swir1: 'swir16',
  swir2: 'swir22',
  coastal: 'coastal',
  scl: 'scl',
};

/** Bands the encoders never read: atmospheric bands at 60 m. */
const UNUSED: Readonly<Record<string, string>> = {
  B01: 'coastal aerosol, 60 m',
  B09: 'water vapour, 60 m',
  B10: 'cirrus, 60 m',
};

/** "B2", "B02", "b8a", "B10" as the canonical code "B02", "B8A", "B10"; undefined otherwise. */
export function bandCode(text: string): string | undefined {
  const match = /^b(\d{1,2}|8a)$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const raw = match[1].toUpperCase();
  return raw === '8A' ? 'B8A' : `B${raw.padStart(2, '0')}`;
}

/**
 * One band name, case-insensitive: a Sentinel-2 code (B2, B02, B8A), a common name (blue,
 * nir, rededge1, swir16, ...), SCL, or "-"/"skip". Undefined when it names no band.
 */
export function parseBandName(text: string): BandName | undefined {
  const trimmed = text.trim();
  if (trimmed === '-' || trimmed.toLowerCase() === 'skip') return { kind: 'skip' };
  const code = bandCode(trimmed);
  const key = code ? S2_BAND_NAMES[code] : COMMON_NAMES[trimmed.toLowerCase().replace(/[\s_-]/g, '')];
  if (code && UNUSED[code]) return { kind: 'unused', code, why: UNUSED[code] };
  if (!key) return undefined;
  if (key === 'scl' || SCENE_BANDS.some((b) => b === key)) return { kind: 'band', band: key };
  const name = Object.entries(S2_BAND_NAMES).find(([, k]) => k === key)?.[0] ?? key;
  return { kind: 'unused', code: name, why: UNUSED[name] ?? 'not read by the encoders' };
}

/** A parsed name shown back to the user: "B02", "B8A", "SCL". */
export function bandLabel(band: BandKey): string {
  return Object.entries(S2_BAND_NAMES).find(([, k]) => k === band)?.[0] ?? band;
}

/**
 * A band list ("B02,B03,B04,-,B08", the CLI's `--bands` and the dialog's field): one entry
 * per band of the file; the error names every entry it cannot read.
 */
export function parseBandList(list: string): BandName[] {
  const parts = list.split(',');
  const names = parts.map((p) => parseBandName(p));
  const bad = parts.filter((_, i) => names[i] === undefined);
  if (bad.length)
    throw new AppError(
      'bad-input',
      `Unknown band name(s) ${bad.map((b) => `"${b.trim()}"`).join(', ')}: use B02..B12, B8A, names like red or nir, or - to skip one.`,
    );
  return names.filter((n): n is BandName => n !== undefined);
}
