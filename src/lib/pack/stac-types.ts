/**
 * STAC 1.0 Item types covering what packs write and what Earth Search serves. Every object
 * keeps an index signature so items from other producers (extra extension fields, `-jp2`
 * assets, links with extra members) still fit without losing the typed core.
 */

/** raster extension v1.1 band. `nodata` may be a number or one of the spec's special strings. */
export interface RasterBand {
  nodata?: number | 'nan' | 'inf' | '-inf';
  data_type?: string;
  bits_per_sample?: number;
  spatial_resolution?: number;
  scale?: number;
  offset?: number;
  unit?: string;
  [key: string]: unknown;
}

/** eo extension v1.x band. Wavelengths are in micrometres. */
export interface EoBand {
  name?: string;
  common_name?: string;
  description?: string;
  center_wavelength?: number;
  full_width_half_max?: number;
  [key: string]: unknown;
}

export interface StacAsset {
  href: string;
  type?: string;
  title?: string;
  description?: string;
  roles?: string[];
  gsd?: number;
  'proj:shape'?: number[];
  /** First two rows of the affine transform: [a, b, c, d, e, f] (optionally + [0, 0, 1]). */
  'proj:transform'?: number[];
  'proj:epsg'?: number | null;
  'raster:bands'?: RasterBand[];
  'eo:bands'?: EoBand[];
  [key: string]: unknown;
}

export interface StacLink {
  href: string;
  rel: string;
  type?: string;
  title?: string;
  [key: string]: unknown;
}

export type Position = number[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

export type ItemGeometry = PolygonGeometry | MultiPolygonGeometry;

/** Item properties: `datetime` is null only when start_datetime and end_datetime are given. */
export interface StacProperties {
  datetime: string | null;
  start_datetime?: string;
  end_datetime?: string;
  platform?: string;
  constellation?: string;
  instruments?: string[];
  'eo:cloud_cover'?: number;
  'proj:epsg'?: number | null;
  's2:processing_baseline'?: string;
  [key: string]: unknown;
}

export interface StacItem {
  type: 'Feature';
  stac_version: string;
  stac_extensions?: string[];
  id: string;
  collection?: string;
  geometry: ItemGeometry | null;
  bbox?: number[];
  properties: StacProperties;
  links: StacLink[];
  assets: Record<string, StacAsset>;
  [key: string]: unknown;
}

/** A STAC ItemCollection (GeoJSON FeatureCollection of Items): a pack's catalog.json. */
export interface StacItemCollection {
  type: 'FeatureCollection';
  features: StacItem[];
  links: StacLink[];
  [key: string]: unknown;
}
