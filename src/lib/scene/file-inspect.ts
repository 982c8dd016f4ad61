import type { GeoTIFF } from 'geotiff';
import { tiffError } from '../cog/index.ts';
import { type BandName, bandLabel, parseBandName } from './band-names.ts';
import { bandNameFromFileName } from './file-bands.ts';
import { conventionFromMetadata, type FoundConvention } from './file-convention.ts';
import { type FoundDate, fileDate } from './file-dates.ts';
import { readTiffMetadata, type TiffMetadata } from './tiff-metadata.ts';

/** What a dropped GeoTIFF says about itself: its bands, date, processing level and convention. */
export interface FileInspection {
  name: string;
  samples: number;
  /** The band of each sample as the file says it; undefined where it cannot be told. */
  bands: (BandName | undefined)[];
  /** Where `bands` came from. */
  bandsFrom: 'band descriptions' | 'file name' | 'nothing';
  date?: FoundDate;
  convention?: NonNullable<FoundConvention['convention']>;
  level?: NonNullable<FoundConvention['level']>;
}

/**
 * A band description as GDAL tools write it: "B02", "B4", "Blue", "B8A (NIR narrow)", "nir".
 * The whole text first, then its first word, then a BANDNAME item.
 */
function bandOfDescription(
  description: string | undefined,
  items: Readonly<Record<string, string>>,
): BandName | undefined {
  const texts = [description, description?.split(/[^A-Za-z0-9]+/).find(Boolean), items.BANDNAME];
  for (const text of texts) {
    const parsed = text ? parseBandName(text) : undefined;
    if (parsed && parsed.kind !== 'skip') return parsed;
  }
  return undefined;
}

/** The inspection of a file whose metadata is read (pure: tests feed metadata directly). */
export function inspectMetadata(name: string, meta: TiffMetadata): FileInspection {
  const described = meta.bands.map((b) => bandOfDescription(b.description, b.items));
  const anyDescribed = described.some(Boolean);
  const byName = meta.samples === 1 && !anyDescribed ? bandNameFromFileName(name) : undefined;
  const found = conventionFromMetadata(name, meta);
  const date = fileDate(name, meta);
  return {
    name,
    samples: meta.samples,
    bands: byName ? [byName] : described,
    bandsFrom: anyDescribed ? 'band descriptions' : byName ? 'file name' : 'nothing',
    ...(date ? { date } : {}),
    ...(found.convention ? { convention: found.convention } : {}),
    ...(found.level ? { level: found.level } : {}),
  };
}

/** Inspects an opened file's first image. */
export async function inspectTiff(
  tiff: GeoTIFF,
  name: string,
  signal?: AbortSignal,
): Promise<FileInspection> {
  let image: Awaited<ReturnType<GeoTIFF['getImage']>>;
  try {
    image = await tiff.getImage(0);
  } catch (error) {
    // geotiff.js parses the image directory here: a damaged one throws its own words.
    throw tiffError(error, name, signal);
  }
  return inspectMetadata(name, await readTiffMetadata(image, name, signal));
}

/** "B02, B03, B04, -, B08": a mapping as the dialog's field and `--bands` take it. */
export function bandListText(bands: readonly (BandName | undefined)[]): string {
  return bands
    .map((b) => {
      if (!b) return '?';
      if (b.kind === 'band') return bandLabel(b.band);
      return b.kind === 'unused' ? b.code : '-';
    })
    .join(',');
}
