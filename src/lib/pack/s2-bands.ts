/**
 * Sentinel-2 L2A assets under their Earth Search names (sentinel-2-l2a and sentinel-2-c1-l2a
 * use the same keys), with titles and eo:bands as Earth Search publishes them.
 */
import type { EoBand } from './stac-types.ts';

export interface S2BandInfo {
  /** Earth Search asset key, e.g. 'blue'. */
  key: string;
  /** ESA band id and file stem, e.g. 'B02' ('SCL' for the scene classification). */
  band: string;
  title: string;
  /** Native ground sample distance in metres. */
  gsd: number;
  /** True for reflectance bands; false for the SCL class map. */
  reflectance: boolean;
  eo?: EoBand;
}

function band(
  key: string,
  id: string,
  label: string,
  gsd: number,
  commonName: string,
  center: number,
  fwhm: number,
): S2BandInfo {
  const description = `${label} (band ${Number.parseInt(id.slice(1), 10)}${id.endsWith('A') ? 'A' : ''})`;
  return {
    key,
    band: id,
    title: `${description} - ${gsd}m`,
    gsd,
    reflectance: true,
    eo: {
      name: key,
      common_name: commonName,
      description,
      center_wavelength: center,
      full_width_half_max: fwhm,
    },
  };
}

export const S2_BANDS: readonly S2BandInfo[] = [
  band('coastal', 'B01', 'Coastal aerosol', 60, 'coastal', 0.443, 0.027),
  band('blue', 'B02', 'Blue', 10, 'blue', 0.49, 0.098),
  band('green', 'B03', 'Green', 10, 'green', 0.56, 0.045),
  band('red', 'B04', 'Red', 10, 'red', 0.665, 0.038),
  band('rededge1', 'B05', 'Red edge 1', 20, 'rededge', 0.704, 0.019),
  band('rededge2', 'B06', 'Red edge 2', 20, 'rededge', 0.74, 0.018),
  band('rededge3', 'B07', 'Red edge 3', 20, 'rededge', 0.783, 0.028),
  band('nir', 'B08', 'NIR 1', 10, 'nir', 0.842, 0.145),
  band('nir08', 'B8A', 'NIR 2', 20, 'nir08', 0.865, 0.033),
  band('nir09', 'B09', 'NIR 3', 60, 'nir09', 0.945, 0.026),
  band('swir16', 'B11', 'SWIR 1', 20, 'swir16', 1.61, 0.143),
  band('swir22', 'B12', 'SWIR 2', 20, 'swir22', 2.19, 0.242),
  { key: 'scl', band: 'SCL', title: 'Scene classification map (SCL)', gsd: 20, reflectance: false },
];

export function s2BandByKey(key: string): S2BandInfo | undefined {
  return S2_BANDS.find((b) => b.key === key);
}
