/** Corners of a raster in WGS84, clockwise from top-left: [lon, lat][4]. */
export type Corners = [[number, number], [number, number], [number, number], [number, number]];

/** An RGBA raster draped over the map between its four corners. */
export interface RasterOverlay {
  id: 'imagery' | 'similarity' | 'clusters' | 'classes' | 'pca' | 'change' | 'preview';
  image: ImageData;
  corners: Corners;
  visible: boolean;
  opacity: number;
}

export interface Marker {
  lon: number;
  lat: number;
  kind: 'query' | 'result' | 'positive' | 'negative' | 'label';
  /** [r, g, b, a] overriding the kind's colour (a label drawn in its class colour). */
  colour?: [number, number, number, number];
}

/** Everything the map draws, as plain data; the map turns it into deck.gl layers. */
export interface MapContent {
  rasters: RasterOverlay[];
  markers: Marker[];
}

/** What the drawing tools show over everything else, as plain data (see draw-layers.ts). */
export interface DrawOverlay {
  /** The area of interest's outline: a closed ring (box corners or the polygon), WGS84. */
  outline: { ring: [number, number][]; opacity: number } | undefined;
  /** The shape being drawn: its corners so far and the pointer's position. */
  sketch:
    | { mode: 'rectangle' | 'polygon'; points: [number, number][]; cursor: [number, number] | undefined }
    | undefined;
}
