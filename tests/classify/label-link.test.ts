import { describe, expect, it } from 'vitest';
import { addClass, emptyLabelState } from '../../src/lib/classify/classes.ts';
import { labelsFromLink, labelsToLink, MAX_LINK_LABEL_CHARS } from '../../src/lib/classify/label-link.ts';
import { addLabels } from '../../src/lib/classify/labels.ts';

describe('labels in a link', () => {
  const base = addClass(addClass(emptyLabelState(), 'water', '#1f77b4'), 'forest', '#2ca02c');
  const [water, forest] = base.classes;

  it('round-trips classes, points and polygons through URL parameters', () => {
    let s = addLabels(base, water!.id, [{ kind: 'point', at: [12.135712, 46.540523] }]);
    s = addLabels(s, forest!.id, [
      {
        kind: 'polygon',
        ring: [
          [12.1, 46.5],
          [12.2, 46.5],
          [12.2, 46.6],
        ],
      },
    ]);
    const link = labelsToLink(s);
    expect(link.kind).toBe('fits');
    if (link.kind !== 'fits') return;
    const query = new URLSearchParams({ cls: link.cls, lab: link.lab });
    const back = labelsFromLink(query.get('cls'), query.get('lab'))!;
    expect(back.rejected).toEqual([]);
    expect(back.state.classes.map((c) => [c.name, c.colour])).toEqual([
      ['water', '#1f77b4'],
      ['forest', '#2ca02c'],
    ]);
    expect(back.state.labels.map((l) => l.geometry)).toEqual([
      { kind: 'point', at: [12.13571, 46.54052] },
      {
        kind: 'polygon',
        ring: [
          [12.1, 46.5],
          [12.2, 46.5],
          [12.2, 46.6],
        ],
      },
    ]);
  });

  it('says when the labels are too many for a link', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      kind: 'point' as const,
      at: [12 + i * 1e-4, 46.5] as [number, number],
    }));
    const link = labelsToLink(addLabels(base, water!.id, many));
    expect(link).toEqual({ kind: 'too-many', labels: 200 });
    expect(MAX_LINK_LABEL_CHARS).toBeLessThan(4000);
  });

  it('reports entries that do not parse and keeps the rest', () => {
    const back = labelsFromLink('water~1f77b4|bad', '0,12,46;7,1,2;0,abc,1;0,12,46,13')!;
    expect(back.state.labels).toHaveLength(1);
    expect(back.rejected).toEqual([
      'cls: "bad" is not a class (name~rrggbb)',
      'lab: "7,1,2" is not a label',
      'lab: "0,abc,1" is not a label',
      'lab: "0,12,46,13" is not a label',
    ]);
  });
});
