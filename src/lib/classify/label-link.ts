/**
 * Classes and labels in a link: `cls=water~1f77b4|forest~ff7f0e` and
 * `lab=0,12.13571,46.54052;1,12.1,46.5,12.2,46.5,12.2,46.6` (class index, then one point or a
 * polygon's corners, 5 decimals: about a metre). Links stay short enough to paste: past
 * MAX_LINK_LABEL_CHARS the labels are left out and the caller says so (the labels file
 * carries them then).
 */
import { addClass, emptyLabelState } from './classes.ts';
import { addLabels } from './labels.ts';
import type { LabelGeometry, LabelState } from './types.ts';

export const MAX_LINK_LABEL_CHARS = 2000;

export type LinkLabels =
  | { kind: 'fits'; cls: string; lab: string }
  | { kind: 'too-many'; labels: number }
  | { kind: 'none' };

const round = (v: number) => String(Math.round(v * 1e5) / 1e5);

export function labelsToLink(state: LabelState): LinkLabels {
  if (state.classes.length === 0) return { kind: 'none' };
  const index = new Map(state.classes.map((c, i) => [c.id, i]));
  const cls = state.classes.map((c) => `${c.name.replace(/[|~]/g, ' ')}~${c.colour.slice(1)}`).join('|');
  const lab = state.labels
    .map((l) => {
      const points = l.geometry.kind === 'point' ? [l.geometry.at] : l.geometry.ring;
      return [index.get(l.classId) ?? 0, ...points.flatMap(([lon, lat]) => [round(lon), round(lat)])].join(
        ',',
      );
    })
    .join(';');
  if (cls.length + lab.length > MAX_LINK_LABEL_CHARS)
    return { kind: 'too-many', labels: state.labels.length };
  return { kind: 'fits', cls, lab };
}

/** Classes and labels from link parameters; entries that do not parse are reported, not kept. */
export function labelsFromLink(
  cls: string | null,
  lab: string | null,
): { state: LabelState; rejected: string[] } | undefined {
  if (!cls) return undefined;
  let state = emptyLabelState();
  const rejected: string[] = [];
  for (const entry of cls.split('|')) {
    const [name = '', colour = ''] = entry.split('~');
    try {
      state = addClass(state, name, `#${colour}`);
    } catch {
      rejected.push(`cls: "${entry.slice(0, 30)}" is not a class (name~rrggbb)`);
    }
  }
  for (const entry of lab ? lab.split(';') : []) {
    const numbers = entry.split(',').map(Number);
    const cls2 = state.classes[numbers[0] ?? -1];
    const coords = numbers.slice(1);
    if (!cls2 || coords.length < 2 || coords.length % 2 !== 0 || coords.some((v) => !Number.isFinite(v))) {
      rejected.push(`lab: "${entry.slice(0, 30)}" is not a label`);
      continue;
    }
    const points = Array.from(
      { length: coords.length / 2 },
      (_, i) => [coords[2 * i]!, coords[2 * i + 1]!] as [number, number],
    );
    const geometry: LabelGeometry =
      points.length === 1 ? { kind: 'point', at: points[0]! } : { kind: 'polygon', ring: points };
    try {
      state = addLabels(state, cls2.id, [geometry]);
    } catch {
      rejected.push(`lab: "${entry.slice(0, 30)}" is not a valid point or polygon`);
    }
  }
  return { state, rejected };
}
