import type { BBox } from '../geo/index.ts';
import type { BandKey } from './bands.ts';

/** How to turn a band's stored numbers into surface reflectance: value * scale + offset. */
export interface BandAsset {
  key: BandKey;
  href: string;
  scale: number;
  offset: number;
  nodata: number | undefined;
  /** Native resolution in metres when the item says so. */
  gsd: number | undefined;
}

/**
 * The validated, app-side view of one STAC item of a Sentinel-2 L2A collection: what the
 * pixel readers need, nothing else. Built by parseItemCollection for Earth Search results
 * and offline packs alike.
 */
export interface SceneItem {
  id: string;
  collection: string | undefined;
  /** ISO date-time of acquisition, or the start of the interval when only that is known. */
  datetime: string;
  cloudCover: number | undefined;
  epsg: number | undefined;
  bboxWgs84: BBox;
  processingBaseline: string | undefined;
  platform: string | undefined;
  thumbnail: string | undefined;
  /** Exterior rings of the item's footprint (WGS84 [lon, lat]); undefined when it has none. */
  footprint?: [number, number][][] | undefined;
  /** MGRS tile (s2:mgrs_tile or grid:code), e.g. "32TQS". */
  tile?: string | undefined;
  assets: Partial<Record<BandKey, BandAsset>>;
  /** The validated item JSON as received (for tools that re-publish it, such as pack:fetch). */
  raw?: Record<string, unknown>;
}
