import type { BandKey } from '../stac/index.ts';
import { type BandName, bandCode, parseBandName } from './band-names.ts';

/**
 * What a single-band file's name says it holds: "B04.tif", "T32TQS_..._B8A_10m.jp2",
 * "sentinel.dolomites.b2.tif" (B02), an Earth Search asset key such as "red.tif", or a band
 * no encoder uses ("B10.tif": unused, skipped with a note).
 */
export function bandNameFromFileName(name: string): BandName | undefined {
  const stem = name.replace(/\.[^.]+$/, '');
  const match = /(?:^|[^a-z0-9])(b(?:\d{1,2}|8a))(?:$|[^a-z0-9])/i.exec(stem);
  const code = match?.[1] ? bandCode(match[1]) : undefined;
  if (code) {
    const parsed = parseBandName(code);
    if (parsed) return parsed;
  }
  if (/(?:^|[^a-z0-9])scl(?:$|[^a-z0-9])/i.test(stem)) return { kind: 'band', band: 'scl' };
  const last =
    stem
      .split(/[^a-z0-9]+/i)
      .pop()
      ?.toLowerCase() ?? '';
  const parsed = last ? parseBandName(last) : undefined;
  return parsed?.kind === 'skip' ? undefined : parsed;
}

/** The band of a single-band file from its name, when it is one the scene reads (see above). */
export function bandFromFileName(name: string): BandKey | undefined {
  const parsed = bandNameFromFileName(name);
  return parsed?.kind === 'band' ? parsed.band : undefined;
}
