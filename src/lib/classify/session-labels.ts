/**
 * Classes and labels as a session file keeps them: the classes in raster-value order (name,
 * colour) and the labels as the GeoJSON the label export writes. Reading goes through the
 * same checks as a label import, so a hand-edited file is refused row by row, never trusted.
 */
import { AppError } from '../errors.ts';
import { addClass, emptyLabelState } from './classes.ts';
import { importGeoJsonLabels, labelsToGeoJson } from './label-files.ts';
import { type LabelState, MAX_CLASSES } from './types.ts';

export interface SessionLabels {
  classes: { name: string; colour: string }[];
  /** A GeoJSON FeatureCollection (WGS84) with a `class` property per feature. */
  labels: unknown;
}

export function labelsToSession(state: LabelState): SessionLabels {
  return {
    classes: state.classes.map((c) => ({ name: c.name, colour: c.colour })),
    labels: JSON.parse(labelsToGeoJson(state)) as unknown,
  };
}

/** The label state a session file holds; `rejected` lists the rows that were refused. */
export function labelsFromSession(saved: SessionLabels): { state: LabelState; rejected: string[] } {
  if (saved.classes.length > MAX_CLASSES) {
    throw new AppError('bad-input', `A session may hold at most ${MAX_CLASSES} classes.`);
  }
  let state = emptyLabelState();
  for (const c of saved.classes) state = addClass(state, c.name, c.colour);
  const imported = importGeoJsonLabels(state, JSON.stringify(saved.labels));
  return {
    state: imported.state,
    rejected: imported.errors.map((e) => `label ${e.row}: ${e.reason}`),
  };
}
