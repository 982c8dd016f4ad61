/** Corners of a raster in WGS84, clockwise from top-left: [lon, lat][4]. */
export type Corners = [[number, number], [number, number], [number, number], [number, number]];

/** An RGBA raster draped over the map between its four corners. */
export interface RasterOverlay {
  id: 'imagery' | 'similarity' | 'clusters' | 'pca' | 'change' | 'preview';
  image: ImageData;
  corners: Corners;
  visible: boolean;
  opacity: number;
}

export interface Marker {
  lon: number;
  lat: number;
  kind: 'query' | 'result' | 'positive' | 'negative';
}

/** Everything the map draws, as plain data; the map turns it into deck.gl layers. */
export interface MapContent {
  rasters: RasterOverlay[];
  markers: Marker[];
}
