/** Label operations: add points (click, brush) and polygons, remove, and an undo history. */
import { AppError } from '../errors.ts';
import { type LonLat, validatePolygon } from '../geo/index.ts';
import { findClass } from './classes.ts';
import type { Label, LabelGeometry, LabelState } from './types.ts';

/** More labels than this are refused: a session (and the CV) stays responsive. */
export const MAX_LABELS = 100_000;

function checkLonLat([lon, lat]: LonLat): void {
  if (!(Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) {
    throw new AppError('bad-input', `A label must lie on the Earth; got longitude ${lon}, latitude ${lat}.`);
  }
}

/** Checks a geometry and returns it normalised (polygon rings open, validated). */
export function checkGeometry(geometry: LabelGeometry): LabelGeometry {
  if (geometry.kind === 'point') {
    checkLonLat(geometry.at);
    return { kind: 'point', at: [geometry.at[0], geometry.at[1]] };
  }
  for (const p of geometry.ring) checkLonLat(p);
  return { kind: 'polygon', ring: validatePolygon(geometry.ring) };
}

/** Adds labels of one class (a click adds one point, a brush stroke many, a polygon one). */
export function addLabels(
  state: LabelState,
  classId: string,
  geometries: readonly LabelGeometry[],
): LabelState {
  findClass(state, classId);
  if (state.labels.length + geometries.length > MAX_LABELS) {
    throw new AppError('too-large', `At most ${MAX_LABELS} labels; remove some or use polygons.`);
  }
  let id = state.nextLabelId;
  const added: Label[] = geometries.map((g) => ({ id: id++, classId, geometry: checkGeometry(g) }));
  return { ...state, labels: [...state.labels, ...added], nextLabelId: id };
}

export function removeLabels(state: LabelState, ids: readonly number[]): LabelState {
  const drop = new Set(ids);
  return { ...state, labels: state.labels.filter((l) => !drop.has(l.id)) };
}

/** A state with its undo/redo stacks; every edit is one step, whatever it changed. */
export interface LabelHistory {
  present: LabelState;
  past: LabelState[];
  future: LabelState[];
}

const MAX_UNDO = 200;

export function historyOf(state: LabelState): LabelHistory {
  return { present: state, past: [], future: [] };
}

/** Applies an edit; a throwing edit leaves the history untouched. */
export function edit(history: LabelHistory, change: (s: LabelState) => LabelState): LabelHistory {
  const next = change(history.present);
  return { present: next, past: [...history.past, history.present].slice(-MAX_UNDO), future: [] };
}

export function undo(history: LabelHistory): LabelHistory {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { present: previous, past: history.past.slice(0, -1), future: [history.present, ...history.future] };
}

export function redo(history: LabelHistory): LabelHistory {
  const [next, ...rest] = history.future;
  if (!next) return history;
  return { present: next, past: [...history.past, history.present], future: rest };
}
