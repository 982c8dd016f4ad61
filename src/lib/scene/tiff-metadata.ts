import type { GeoTIFFImage } from 'geotiff';
import { tiffError } from '../cog/index.ts';

/** What a GeoTIFF says about itself, beyond its pixels: GDAL metadata and TIFF text tags. */
export interface TiffMetadata {
  samples: number;
  /** Dataset-level GDAL metadata items (any domain), names as written. */
  dataset: Readonly<Record<string, string>>;
  /** Per sample: its description (GDAL band description) and further items. */
  bands: readonly { description?: string; items: Readonly<Record<string, string>> }[];
  /** TIFF tag 306 (GDAL's TIFFTAG_DATETIME), "YYYY:MM:DD HH:MM:SS" as stored. */
  dateTime?: string;
}

/** XML's five entities and numeric references. */
function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? '';
  });
}

function attribute(attrs: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(attrs);
  return match?.[1] === undefined ? undefined : unescapeXml(match[1]);
}

/**
 * GDAL_METADATA (TIFF tag 42112): `<Item name=".." sample="i" role="description">B02</Item>`.
 * GDAL escapes a value twice (see cog/writer/gdal-metadata.ts) and unescapes twice on reading;
 * so does this, which leaves singly-escaped values of other writers intact.
 */
export function parseGdalMetadata(xml: string, samples: number): Pick<TiffMetadata, 'dataset' | 'bands'> {
  const dataset: Record<string, string> = {};
  const bands = Array.from({ length: samples }, () => ({
    description: undefined as string | undefined,
    items: {} as Record<string, string>,
  }));
  for (const match of xml.matchAll(/<Item\b([^>]*?)(?:\/>|>([\s\S]*?)<\/Item>)/g)) {
    const attrs = match[1] ?? '';
    const name = attribute(attrs, 'name');
    if (!name) continue;
    const value = unescapeXml(unescapeXml(match[2] ?? '')).trim();
    const sampleText = attribute(attrs, 'sample');
    if (sampleText === undefined) {
      dataset[name] = value;
      continue;
    }
    const band = bands[Number(sampleText)];
    if (!band) continue;
    if (attribute(attrs, 'role') === 'description') band.description = value;
    else band.items[name] = value;
  }
  return {
    dataset,
    bands: bands.map((b) => (b.description === undefined ? { items: b.items } : b)),
  };
}

/** The metadata of a file's first image; a damaged directory is said in the app's words. */
export async function readTiffMetadata(
  image: GeoTIFFImage,
  name: string,
  signal?: AbortSignal,
): Promise<TiffMetadata> {
  try {
    const samples = image.getSamplesPerPixel();
    const directory = image.fileDirectory;
    const xml = directory.hasTag('GDAL_METADATA') ? await directory.loadValue('GDAL_METADATA') : undefined;
    const parsed =
      typeof xml === 'string'
        ? parseGdalMetadata(xml, samples)
        : { dataset: {}, bands: Array.from({ length: samples }, () => ({ items: {} })) };
    const dateTime = directory.hasTag('DateTime') ? await directory.loadValue('DateTime') : undefined;
    // TIFF ASCII values end in NUL, which geotiff.js keeps.
    const text = typeof dateTime === 'string' ? dateTime.replace(/\0/g, '').trim() : '';
    return {
      samples,
      ...parsed,
      ...(text ? { dateTime: text } : {}),
    };
  } catch (error) {
    throw tiffError(error, name, signal);
  }
}
