/**
 * Class list operations (create, rename, recolour, merge, delete). Pure functions on
 * LabelState returning a new state; the undo history lives in label-history.ts.
 */
import { AppError } from '../errors.ts';
import { type ClassDef, type LabelState, MAX_CLASSES } from './types.ts';

export function emptyLabelState(): LabelState {
  return { classes: [], labels: [], nextLabelId: 1, nextClassId: 1 };
}

const HEX_COLOUR = /^#[0-9a-f]{6}$/;

/** '#rrggbb' in lower case; bad-input for anything else. */
export function checkColour(colour: string): string {
  const c = colour.trim().toLowerCase();
  if (!HEX_COLOUR.test(c))
    throw new AppError('bad-input', `A class colour must look like #1f77b4, got "${colour}".`);
  return c;
}

function checkName(state: LabelState, name: string, except?: string): string {
  const n = name.trim();
  if (n === '') throw new AppError('bad-input', 'A class needs a name.');
  if (n.length > 60)
    throw new AppError('bad-input', `Class names are at most 60 characters ("${n.slice(0, 20)}…").`);
  if (state.classes.some((c) => c.id !== except && c.name.toLowerCase() === n.toLowerCase())) {
    throw new AppError('bad-input', `There is already a class called "${n}".`);
  }
  return n;
}

/**
 * Default class colours: Tableau 10, the saturated half of the cluster palette, so a new class
 * looks like the clusters it often starts from. Kept here rather than imported from render/,
 * which lies downstream of classification.
 */
const CLASS_PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

export function paletteColour(index: number): string {
  return CLASS_PALETTE[index % CLASS_PALETTE.length]!;
}

export function findClass(state: LabelState, id: string): ClassDef {
  const found = state.classes.find((c) => c.id === id);
  if (!found) throw new AppError('not-found', `No class with id "${id}".`);
  return found;
}

export function classByName(state: LabelState, name: string): ClassDef | undefined {
  const n = name.trim().toLowerCase();
  return state.classes.find((c) => c.name.toLowerCase() === n);
}

/** Adds a class; its colour defaults to the next palette colour. */
export function addClass(state: LabelState, name: string, colour?: string): LabelState {
  if (state.classes.length >= MAX_CLASSES) {
    throw new AppError('bad-input', `At most ${MAX_CLASSES} classes; merge or delete one first.`);
  }
  const def: ClassDef = {
    id: `c${state.nextClassId}`,
    name: checkName(state, name),
    colour: checkColour(colour ?? paletteColour(state.classes.length)),
  };
  return { ...state, classes: [...state.classes, def], nextClassId: state.nextClassId + 1 };
}

export function renameClass(state: LabelState, id: string, name: string): LabelState {
  findClass(state, id);
  const n = checkName(state, name, id);
  return { ...state, classes: state.classes.map((c) => (c.id === id ? { ...c, name: n } : c)) };
}

export function recolourClass(state: LabelState, id: string, colour: string): LabelState {
  findClass(state, id);
  const c2 = checkColour(colour);
  return { ...state, classes: state.classes.map((c) => (c.id === id ? { ...c, colour: c2 } : c)) };
}

/** Deletes a class and every label of it. */
export function deleteClass(state: LabelState, id: string): LabelState {
  findClass(state, id);
  return {
    ...state,
    classes: state.classes.filter((c) => c.id !== id),
    labels: state.labels.filter((l) => l.classId !== id),
  };
}

/** Moves every label of `fromId` to `intoId` and removes `fromId`. */
export function mergeClasses(state: LabelState, fromId: string, intoId: string): LabelState {
  findClass(state, fromId);
  findClass(state, intoId);
  if (fromId === intoId) throw new AppError('bad-input', 'A class cannot be merged into itself.');
  return {
    ...state,
    classes: state.classes.filter((c) => c.id !== fromId),
    labels: state.labels.map((l) => (l.classId === fromId ? { ...l, classId: intoId } : l)),
  };
}

/** Labels per class, in class order. */
export function labelCounts(state: LabelState): number[] {
  const index = new Map(state.classes.map((c, i) => [c.id, i]));
  const counts = new Array<number>(state.classes.length).fill(0);
  for (const l of state.labels) {
    const i = index.get(l.classId);
    if (i !== undefined) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}
