import type { TiffMetadata } from './tiff-metadata.ts';

/** A file's acquisition date and where it was read from, for the notes the user sees. */
export interface FoundDate {
  /** ISO date ("2015-07-31") or date-time ("2015-07-31T10:20:00Z"). */
  iso: string;
  from: string;
}

/** GDAL metadata items that hold the acquisition (sensing) time, most specific first. */
const DATE_ITEMS = [
  'ACQUISITION_DATE',
  'DATATAKE_1_DATATAKE_SENSING_START',
  'DATATAKE_SENSING_START',
  'SENSING_TIME',
  'SENSING_START',
  'PRODUCT_START_TIME',
  'DATE_ACQUIRED',
  'ACQUISITION_TIME',
  'START_DATETIME',
  'DATETIME',
];

/** A real calendar date; Sentinel-2's era is 2015 on, older archives are let through from 1972. */
function checkedDate(year: number, month: number, day: number): string | undefined {
  if (year < 1972 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A date written by a person or a program: "2015-07-31", "2015-07-31T10:20:00.024Z",
 * "20150731", "2015:07:31 10:20:00" (TIFF). The ISO form, or undefined when it is not a date.
 */
export function parseDate(text: string): string | undefined {
  const match =
    /^\s*(\d{4})[-:/]?(\d{2})[-:/]?(\d{2})(?:[T\s](\d{2}):?(\d{2}):?(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?\s*$/i.exec(
      text,
    );
  if (!match) return undefined;
  const day = checkedDate(Number(match[1]), Number(match[2]), Number(match[3]));
  if (!day || match[4] === undefined) return day;
  const [h, m, s] = [match[4], match[5], match[6]].map(Number) as [number, number, number];
  if (h > 23 || m > 59 || s > 60) return day;
  const zone = match[7] ?? 'Z';
  const time = `${day}T${match[4]}:${match[5]}:${match[6]}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? day : parsed.toISOString().replace('.000Z', 'Z');
}

/** The acquisition date in GDAL metadata items (dataset, then the first band's), else TIFFTAG_DATETIME. */
export function dateFromMetadata(meta: TiffMetadata): FoundDate | undefined {
  const sources = [meta.dataset, meta.bands[0]?.items ?? {}];
  for (const key of DATE_ITEMS)
    for (const items of sources) {
      const entry = Object.entries(items).find(([name]) => name.toUpperCase() === key);
      const iso = entry ? parseDate(entry[1]) : undefined;
      if (entry && iso) return { iso, from: `its metadata (${entry[0]})` };
    }
  return undefined;
}

/** TIFF's own DateTime tag: often when the file was written, so it ranks below the file name. */
export function dateFromTiffTag(meta: TiffMetadata): FoundDate | undefined {
  const iso = meta.dateTime ? parseDate(meta.dateTime) : undefined;
  return iso ? { iso, from: 'its TIFFTAG_DATETIME' } : undefined;
}

/**
 * A date in a file name: a Sentinel-2 product or tile name ("S2A_MSIL2A_20170613T101031_...",
 * "T32TQS_20220601T101559_B04"), else a lone YYYYMMDD or YYYY-MM-DD. Undefined when the name
 * holds none, or two different ones (which of them is the acquisition cannot be told).
 */
export function dateFromFileName(name: string): FoundDate | undefined {
  const stem = name.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const sensing = /(?:^|[^0-9])(\d{8})T(\d{6})(?:$|[^0-9])/.exec(stem);
  if (sensing?.[1] && sensing[2]) {
    const t = sensing[2];
    const iso = parseDate(`${sensing[1]}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
    if (iso) return { iso, from: 'its file name' };
  }
  const found = new Set<string>();
  for (const match of stem.matchAll(/(?<![0-9])(\d{4})(-?)(\d{2})\2(\d{2})(?![0-9])/g)) {
    const iso = checkedDate(Number(match[1]), Number(match[3]), Number(match[4]));
    if (iso) found.add(iso);
  }
  const [only] = found;
  return found.size === 1 && only ? { iso: only, from: 'its file name' } : undefined;
}

/** A file's date: its metadata, else its name, else its TIFF DateTime tag. */
export function fileDate(name: string, meta: TiffMetadata): FoundDate | undefined {
  return dateFromMetadata(meta) ?? dateFromFileName(name) ?? dateFromTiffTag(meta);
}
