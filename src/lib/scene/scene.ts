import type { BBox, GridSpec } from '../geo/geotransform.ts';
import type { ReflectanceBand } from '../stac/bands.ts';

/** Pixels of one scene on one grid: L2A surface reflectance per band plus a validity mask. */
export interface Scene {
  id: string;
  title: string;
  /** ISO date-time of the acquisition (or the start of the known interval). */
  datetime: string;
  source: 'stac' | 'pack' | 'files';
  grid: GridSpec;
  bands: ReflectanceBand[];
  /** One array per entry of `bands`, width*height, reflectance (scale/offset applied), NaN = no data. */
  reflectance: Float32Array[];
  /** 1 where every band has data and the cloud mask keeps the pixel. */
  valid: Uint8Array;
  validFraction: number;
  /** What decided validity, for the user: "SCL (no data, cloud, shadow, cirrus)" or "nodata only". */
  maskDescription: string;
}

/** How stored numbers of dropped files become reflectance. */
export type DnConvention = 'offset-1000' | 'no-offset' | 'reflectance';

export type SceneRequest =
  | {
      kind: 'stac';
      endpoint: string;
      collection: string;
      /** WGS84 [w, s, e, n]. */
      area: BBox;
      datetime: string;
      maxCloudCover: number;
    }
  | { kind: 'pack'; catalogUrl: string; itemId?: string; area?: BBox }
  | { kind: 'files'; files: { name: string; file: Blob }[]; convention: DnConvention };

export interface SceneProgress {
  stage: 'search' | 'read';
  done: number;
  total: number;
  message: string;
}
