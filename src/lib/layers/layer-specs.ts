/** Corners of a raster in WGS84, clockwise from top-left: [lon, lat][4]. */
export type Corners = [[number, number], [number, number], [number, number], [number, number]];

interface OverlayBase {
  corners: Corners;
  visible: boolean;
  opacity: number;
}

/** An RGBA raster draped over the map between its four corners. */
export interface ImageOverlay extends OverlayBase {
  kind: 'image';
  id: 'imagery' | 'clusters' | 'classes' | 'pca' | 'preview';
  image: ImageData;
}

/**
 * A score per pixel (similarity, change distance) coloured on the GPU: the values go to a
 * float texture once; threshold and colour range are uniforms (score-layer.ts), so moving the
 * threshold redraws without a pass over the pixels.
 */
export interface ScoreOverlay extends OverlayBase {
  kind: 'score';
  id: 'similarity' | 'change';
  /** Row-major, width * height; NaN where there is no score. */
  values: Float32Array;
  width: number;
  height: number;
  /** Scores below it are transparent; it is also the colormap's dark end. */
  threshold: number;
  /** The colormap's bright end. */
  max: number;
}

export type RasterOverlay = ImageOverlay | ScoreOverlay;

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
    | {
        mode: 'rectangle' | 'polygon' | 'brush';
        points: [number, number][];
        cursor: [number, number] | undefined;
      }
    | undefined;
}
