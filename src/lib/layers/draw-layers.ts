import type { Layer } from '@deck.gl/core';
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { DrawOverlay } from './layer-specs.ts';

type Position = [number, number];
type Rgba = [number, number, number, number];

/** Yellow on a dark casing: readable over snow, water, forest and every overlay palette. */
const OUTLINE: Rgba = [255, 214, 0, 255];
const CASING: Rgba = [20, 20, 20, 200];
const SKETCH: Rgba = [0, 229, 255, 255];
const SKETCH_FILL: Rgba = [0, 229, 255, 50];

function path(id: string, points: Position[], color: Rgba, width: number, opacity = 1): Layer {
  return new PathLayer<Position[]>({
    id,
    data: [points],
    getPath: (p) => p,
    getColor: color,
    getWidth: width,
    widthUnits: 'pixels',
    jointRounded: true,
    capRounded: true,
    opacity,
    pickable: false,
  });
}

function sketchLayers(sketch: NonNullable<DrawOverlay['sketch']>): Layer[] {
  const { points, cursor } = sketch;
  const first = points[0];
  if (sketch.mode === 'brush') return points.length >= 2 ? [path('draw-sketch-line', points, SKETCH, 6)] : [];
  if (sketch.mode === 'rectangle') {
    if (!first || !cursor) return [];
    const [w, e] = [Math.min(first[0], cursor[0]), Math.max(first[0], cursor[0])];
    const [s, n] = [Math.min(first[1], cursor[1]), Math.max(first[1], cursor[1])];
    const ring: Position[] = [
      [w, n],
      [e, n],
      [e, s],
      [w, s],
    ];
    return [
      new PolygonLayer<Position[]>({
        id: 'draw-sketch-fill',
        data: [ring],
        getPolygon: (r) => r,
        getFillColor: SKETCH_FILL,
        stroked: false,
        pickable: false,
      }),
      path('draw-sketch-line', [...ring, ring[0]!], SKETCH, 2),
    ];
  }
  const live: Position[] = cursor ? [...points, cursor] : [...points];
  const layers: Layer[] = [];
  if (live.length >= 3)
    layers.push(
      new PolygonLayer<Position[]>({
        id: 'draw-sketch-fill',
        data: [live],
        getPolygon: (r) => r,
        getFillColor: SKETCH_FILL,
        stroked: false,
        pickable: false,
      }),
    );
  if (live.length >= 2) layers.push(path('draw-sketch-line', live, SKETCH, 2));
  layers.push(
    new ScatterplotLayer<Position>({
      id: 'draw-sketch-corners',
      data: points,
      getPosition: (p) => p,
      // The first corner is larger: clicking it closes the polygon.
      getRadius: (p) => (p === first ? 7 : 4),
      radiusUnits: 'pixels',
      getFillColor: (p) => (p === first ? [255, 255, 255, 255] : SKETCH),
      getLineColor: [20, 20, 20, 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      pickable: false,
    }),
  );
  return layers;
}

/** The area outline and the live sketch as deck.gl layers (drawn above imagery and overlays). */
export function drawLayers(overlay: DrawOverlay): Layer[] {
  const layers: Layer[] = [];
  const outline = overlay.outline;
  if (outline && outline.ring.length >= 3) {
    const closed = [...outline.ring, outline.ring[0]!];
    layers.push(path('aoi-outline-casing', closed, CASING, 4.5, outline.opacity));
    layers.push(path('aoi-outline', closed, OUTLINE, 2, outline.opacity));
  }
  if (overlay.sketch) layers.push(...sketchLayers(overlay.sketch));
  return layers;
}
