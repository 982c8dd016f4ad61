import { type BandKey, isBandKey, S2_BAND_NAMES } from '../stac/bands.ts';

/**
 * Recognises the band of a single-band file from its name: "B04.tif", "T32TQS_..._B8A_10m.jp2",
 * "sentinel.dolomites.b2.tif" (B02) or an Earth Search asset key such as "red.tif".
 */
export function bandFromFileName(name: string): BandKey | undefined {
  const stem = name.replace(/\.[^.]+$/, '');
  const match = /(?:^|[^a-z0-9])b(\d{1,2}|8a)(?:$|[^a-z0-9])/i.exec(stem);
  if (match?.[1]) {
    const raw = match[1].toUpperCase();
    const code = raw === '8A' ? 'B8A' : `B${raw.padStart(2, '0')}`;
    const band = S2_BAND_NAMES[code];
    if (band) return band;
  }
  if (/(?:^|[^a-z0-9])scl(?:$|[^a-z0-9])/i.test(stem)) return 'scl';
  const last =
    stem
      .split(/[^a-z0-9]+/i)
      .pop()
      ?.toLowerCase() ?? '';
  return isBandKey(last) ? last : undefined;
}
