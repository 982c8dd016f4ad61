import type { ReadStats } from '../cog/index.ts';
import type { BBox, GridSpec, LonLat } from '../geo/index.ts';
import type { BandKey, ReflectanceBand } from '../stac/index.ts';
import type { LoadResolution } from './load-resolution.ts';
import type { ValueRange } from './value-range.ts';

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
  /** STAC item ids read (several when tiles of one overpass were mosaicked); absent for files. */
  itemIds?: string[];
  /** SCL classes masked (absent without an SCL band): part of what the embeddings depend on. */
  sclMask?: number[] | undefined;
  /** Network cost of the read (range requests) and bytes from the browser's cache; absent for local files. */
  stats?: ReadStats;
  /** A problem with the browser's storage met while loading, said once per session. */
  storageNotice?: string | undefined;
  /**
   * The bands' values (min, max, 99th percentile), measured where the scene was read (the scene
   * worker), so the page only shows it: values far above reflectance are scaled integers.
   */
  valueRange?: ValueRange | undefined;
  /** Said whenever it applies: the scene list came from the cache because the server was unreachable. */
  cacheNote?: string | undefined;
  /** What was read from dropped files' metadata or names, or skipped (B10.tif): said to the user. */
  notes?: string[];
  /**
   * The scene worker's name for these pixels: the encoder worker reads them by it, straight from
   * the scene worker (a MessageChannel), so the pixels never pass through the main thread.
   */
  handle?: string;
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
      /** Open exactly these items (from the scene list), mosaicked; default: the best choice. */
      itemIds?: string[];
      /** SCL classes to mask (see SCL_CLASSES); default DEFAULT_SCL_MASK. */
      sclMask?: number[];
      /** A drawn polygon (open ring, WGS84) inside `area`: searched with `intersects`, pixels outside masked. */
      polygon?: LonLat[];
      /** Pixel size to load at (metres, default 10 = native): coarser reads COG overviews, less memory. */
      resolutionM?: LoadResolution;
      /** The search's idle timeout (stacIdleMs: 30 s unless set in this browser). */
      idleTimeoutMs?: number;
    }
  | {
      kind: 'pack';
      catalogUrl: string;
      itemId?: string;
      itemIds?: string[];
      area?: BBox;
      sclMask?: number[];
      /** A drawn polygon (open ring, WGS84) inside `area`: pixels outside it are masked. */
      polygon?: LonLat[];
      /** Pixel size to load at (metres, default 10 = native): coarser reads COG overviews, less memory. */
      resolutionM?: LoadResolution;
    }
  | {
      kind: 'files';
      files: DroppedFile[];
      /** Absent: what the files' metadata or names state, else an error asking for it. */
      convention?: DnConvention;
      /** The acquisition date (ISO) when the user gives it; absent: the files' metadata or names. */
      date?: string;
      /** A drawn polygon (open ring, WGS84): pixels of the files outside it are masked. */
      polygon?: LonLat[];
    };

/** A dropped GeoTIFF. `bands`: the band of each sample of a multi-band file (null = ignore it). */
export interface DroppedFile {
  name: string;
  file: Blob;
  bands?: (BandKey | null)[];
  /** Its acquisition date (YYYY-MM-DD) when the dialog's "several dates" gives each file one. */
  date?: string;
}

/** A scene search for the scene list: the 'stac' request's search fields. */
export type SceneListRequest =
  | Omit<Extract<SceneRequest, { kind: 'stac' }>, 'itemIds' | 'sclMask' | 'resolutionM'>
  | { kind: 'pack'; catalogUrl: string; area?: BBox; polygon?: LonLat[] };

export interface SceneProgress {
  stage: 'search' | 'read';
  done: number;
  total: number;
  message: string;
}
