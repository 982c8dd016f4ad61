/**
 * The drawing interaction as a pure state machine: pointer events (map position plus screen
 * position) and keys in, the sketch to show or the finished shape out. The map and the
 * components only forward events and draw what this returns.
 *
 * Rectangle: press, drag, release. Polygon: click corners; double-click, a click on the first
 * corner or Enter closes it; Backspace removes the last corner; Esc cancels either tool.
 * Brush (labelling): press and drag; the stroke's samples, a few screen pixels apart, are the
 * shape on release (a click without a drag is a one-sample stroke).
 */
import { AppError } from '../errors.ts';
import type { BBox } from './geotransform.ts';
import { type LonLat, MAX_LATITUDE, MAX_POLYGON_VERTICES, ringBBox, validatePolygon } from './polygon.ts';

export type DrawMode = 'rectangle' | 'polygon' | 'brush';

/** A pointer position: on the map (degrees) and on the screen (CSS pixels). */
export interface PointerSample {
  lon: number;
  lat: number;
  x: number;
  y: number;
}

export type PointerType = 'down' | 'move' | 'up' | 'dblclick';

export interface Sketch {
  mode: DrawMode;
  /** Rectangle: the corner where the drag began; polygon: the corners placed so far. */
  points: PointerSample[];
  /** Where the pointer is: the rectangle's opposite corner, the polygon's next corner. */
  cursor: PointerSample | undefined;
  /** Screen position of a press not yet released. */
  pressed: { x: number; y: number } | undefined;
  /** What went wrong with the last attempt, for the user. */
  message: string | undefined;
}

export interface DrawnShape {
  box: BBox;
  polygon?: LonLat[];
  /** A brush stroke's samples, in the order painted. */
  stroke?: LonLat[];
}

export type SketchStep =
  | { kind: 'drawing'; sketch: Sketch }
  | { kind: 'done'; shape: DrawnShape }
  | { kind: 'cancelled' };

/** A press that moves less than this (CSS px) before release is a click, not a drag. */
const CLICK_TOLERANCE_PX = 5;
/** A click this close to the first corner closes the polygon; this close to the last, it is ignored. */
const SNAP_PX = 8;

export function beginSketch(mode: DrawMode): Sketch {
  return { mode, points: [], cursor: undefined, pressed: undefined, message: undefined };
}

const distance = (a: { x: number; y: number }, b: { x: number; y: number }): number =>
  Math.hypot(a.x - b.x, a.y - b.y);

const drawing = (sketch: Sketch): SketchStep => ({ kind: 'drawing', sketch });

/** Corners are kept to 6 decimals (about 0.1 m), as a shared link writes them, so links round-trip. */
const at = (p: PointerSample): LonLat => [Number(p.lon.toFixed(6)), Number(p.lat.toFixed(6))];

function offMap(p: PointerSample): boolean {
  return Math.abs(p.lon) > 180 || Math.abs(p.lat) > MAX_LATITUDE;
}

function rectanglePointer(sketch: Sketch, type: PointerType, p: PointerSample): SketchStep {
  if (type === 'down') return drawing({ ...sketch, points: [p], cursor: p, pressed: p, message: undefined });
  const start = sketch.points[0];
  if (!start || !sketch.pressed) return drawing(sketch);
  if (type === 'move') return drawing({ ...sketch, cursor: p });
  if (type !== 'up') return drawing(sketch);
  const again = { ...sketch, points: [], cursor: undefined, pressed: undefined };
  if (Math.abs(p.x - start.x) < CLICK_TOLERANCE_PX || Math.abs(p.y - start.y) < CLICK_TOLERANCE_PX)
    return drawing({ ...again, message: 'Press and drag across the map to draw a rectangle.' });
  if (offMap(start) || offMap(p))
    return drawing({
      ...again,
      message: 'The rectangle reaches off the map: draw it inside -180..180° longitude.',
    });
  const box = ringBBox([at(start), at(p)]);
  return { kind: 'done', shape: { box } };
}

/** Closes the polygon, or explains why it cannot be closed and keeps it for editing. */
export function closePolygon(sketch: Sketch): SketchStep {
  try {
    const polygon = validatePolygon(sketch.points.map(at));
    return { kind: 'done', shape: { box: ringBBox(polygon), polygon } };
  } catch (error) {
    const message = error instanceof AppError ? error.message : String(error);
    return drawing({ ...sketch, pressed: undefined, message });
  }
}

function polygonPointer(sketch: Sketch, type: PointerType, p: PointerSample): SketchStep {
  if (type === 'down') return drawing({ ...sketch, pressed: p });
  if (type === 'move') return drawing({ ...sketch, cursor: p });
  if (type === 'dblclick') return closePolygon(sketch);
  const pressed = sketch.pressed;
  const released = { ...sketch, pressed: undefined, cursor: p };
  if (!pressed || distance(pressed, p) > CLICK_TOLERANCE_PX) return drawing(released);
  const first = sketch.points[0];
  const last = sketch.points[sketch.points.length - 1];
  if (first && sketch.points.length >= 3 && distance(first, p) <= SNAP_PX) return closePolygon(sketch);
  // The second click of a double-click lands on the corner the first one placed.
  if (last && distance(last, p) <= SNAP_PX) return drawing(released);
  if (offMap(p)) return drawing({ ...released, message: 'That point is off the map.' });
  if (sketch.points.length >= MAX_POLYGON_VERTICES)
    return drawing({
      ...released,
      message: `A polygon may have at most ${MAX_POLYGON_VERTICES} corners: close it (Enter) or remove corners (Backspace).`,
    });
  return drawing({ ...released, points: [...sketch.points, p], message: undefined });
}

/** Brush samples closer than this on screen (CSS px) add nothing a user could see. */
export const BRUSH_SPACING_PX = 4;

function brushPointer(sketch: Sketch, type: PointerType, p: PointerSample): SketchStep {
  if (type === 'down') {
    if (offMap(p)) return drawing({ ...sketch, message: 'That point is off the map.' });
    return drawing({ ...sketch, points: [p], cursor: p, pressed: p, message: undefined });
  }
  if (!sketch.pressed) return drawing({ ...sketch, cursor: p });
  const last = sketch.points[sketch.points.length - 1];
  const add = !offMap(p) && (!last || distance(last, p) >= BRUSH_SPACING_PX);
  const points = add ? [...sketch.points, p] : sketch.points;
  if (type === 'move') return drawing({ ...sketch, points, cursor: p });
  if (type !== 'up') return drawing(sketch);
  const stroke = points.map(at);
  return { kind: 'done', shape: { box: ringBBox(stroke), stroke } };
}

export function sketchPointer(sketch: Sketch, type: PointerType, p: PointerSample): SketchStep {
  if (sketch.mode === 'brush') return brushPointer(sketch, type, p);
  return sketch.mode === 'rectangle' ? rectanglePointer(sketch, type, p) : polygonPointer(sketch, type, p);
}

/** A key while drawing; undefined when the key means nothing to the sketch. */
export function sketchKey(sketch: Sketch, key: string): SketchStep | undefined {
  if (key === 'Escape') return { kind: 'cancelled' };
  if (sketch.mode !== 'polygon') return undefined;
  if (key === 'Enter') return closePolygon(sketch);
  if (key === 'Backspace')
    return drawing({ ...sketch, points: sketch.points.slice(0, -1), message: undefined });
  return undefined;
}
