import { describe, expect, it } from 'vitest';
import { addClass, addLabels, emptyLabelState } from '../../src/lib/classify/index.ts';
import {
  defaultSessionName,
  type Session,
  sameClustering,
  sessionFromJson,
  sessionToJson,
} from '../../src/lib/state/session-file.ts';
import type { ViewState } from '../../src/lib/state/url-state.ts';

const session: Session = {
  id: 'a1b2-c3',
  name: 'Tofane forests',
  savedAt: '2026-11-21T17:00:00.000Z',
  view: {
    source: { kind: 'pack', name: 'dolomites-2022-06' },
    query: { lon: 12.2, lat: 46.58 },
    threshold: 0.9,
    k: 6,
    seed: 1,
  },
  clusterNames: ['forest', 'rock', 'pasture', 'water', 'town', 'snow'],
};

describe('session files', () => {
  it('round-trip through JSON', () => {
    const back = sessionFromJson(sessionToJson(session));
    expect(back.rejected).toEqual([]);
    expect(back.session).toEqual(session);
  });

  it('refuse what is not a session, naming the field', () => {
    expect(() => sessionFromJson('{')).toThrow(/not valid JSON/);
    expect(() => sessionFromJson(JSON.stringify({ format: 'other' }))).toThrow(/format/);
    const bad = JSON.parse(sessionToJson(session)) as Record<string, unknown>;
    bad.clusterNames = 'forest';
    expect(() => sessionFromJson(JSON.stringify(bad))).toThrow(/clusterNames/);
    bad.clusterNames = [];
    bad.id = '<script>';
    expect(() => sessionFromJson(JSON.stringify(bad))).toThrow(/id/);
  });

  it('re-validates the link it carries', () => {
    const hostile = JSON.parse(sessionToJson(session)) as Record<string, unknown>;
    hostile.link = '?pack=../x&k=6';
    const back = sessionFromJson(JSON.stringify(hostile));
    expect(back.session.view).toEqual({ k: 6 });
    expect(back.rejected[0]).toMatch(/^pack/);
  });

  it('names sessions after their source', () => {
    expect(defaultSessionName(session.view, new Date('2026-11-21T17:05:00Z'))).toMatch(
      /^dolomites-2022-06, 21 Nov/,
    );
  });
});

describe("session files keep Classify's classes and labels", () => {
  let labels = addClass(
    addClass(addClass(emptyLabelState(), 'water', '#1f77b4'), 'forest', '#2ca02c'),
    'rock',
  );
  labels = addLabels(labels, labels.classes[1]!.id, [
    { kind: 'point', at: [12.21, 46.57] },
    {
      kind: 'polygon',
      ring: [
        [12.1, 46.5],
        [12.2, 46.5],
        [12.2, 46.6],
      ],
    },
  ]);
  labels = addLabels(labels, labels.classes[0]!.id, [{ kind: 'point', at: [12.3, 46.61] }]);

  it('round-trip: class names, colours and order (raster values), every label with its class', () => {
    const back = sessionFromJson(sessionToJson({ ...session, labels }));
    expect(back.rejected).toEqual([]);
    const got = back.session.labels!;
    expect(got.classes.map((c) => [c.name, c.colour])).toEqual(labels.classes.map((c) => [c.name, c.colour]));
    const named = (s: typeof labels) =>
      s.labels.map((l) => [s.classes.find((c) => c.id === l.classId)!.name, l.geometry]);
    expect(named(got)).toEqual(named(labels));
    // A class without labels (rock) is kept too.
    expect(got.classes).toHaveLength(3);
  });

  it('sessions saved before labels were kept open without them; no classes writes no labels', () => {
    const old = JSON.parse(sessionToJson(session)) as Record<string, unknown>;
    expect(old).not.toHaveProperty('classes');
    expect(sessionFromJson(JSON.stringify(old)).session.labels).toBeUndefined();
  });

  it('a bad label is listed and the others kept; bad classes refuse the file', () => {
    const file = JSON.parse(sessionToJson({ ...session, labels })) as {
      labels: { features: { geometry: unknown }[] };
      classes: { name: string; colour: string }[];
    };
    file.labels.features[1]!.geometry = { type: 'Point', coordinates: [500, 46] };
    const back = sessionFromJson(JSON.stringify(file));
    expect(back.session.labels!.labels).toHaveLength(2);
    expect(back.rejected).toHaveLength(1);
    expect(back.rejected[0]).toMatch(/^label 2: /);
    file.classes[0]!.colour = 'blue';
    expect(() => sessionFromJson(JSON.stringify(file))).toThrow(/This file is not a session: its classes: /);
  });
});

describe('cluster names follow the clusters, not the display', () => {
  it('the same source, model, k and seed hold the same clusters whatever the threshold or layers', () => {
    const base: ViewState = { source: { kind: 'pack', name: 'p' }, model: { id: 'spectral' }, k: 5, seed: 1 };
    expect(sameClustering(base, { ...base, threshold: 0.9, display: { hidden: ['similarity'] } })).toBe(true);
    expect(sameClustering(base, { ...base, k: 6 })).toBe(false);
    expect(sameClustering(base, { ...base, model: { id: 'presto' } })).toBe(false);
  });
});
