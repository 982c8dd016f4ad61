import { describe, expect, it } from 'vitest';
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

describe('cluster names follow the clusters, not the display', () => {
  it('the same source, model, k and seed hold the same clusters whatever the threshold or layers', () => {
    const base: ViewState = { source: { kind: 'pack', name: 'p' }, model: { id: 'spectral' }, k: 5, seed: 1 };
    expect(sameClustering(base, { ...base, threshold: 0.9, display: { hidden: ['similarity'] } })).toBe(true);
    expect(sameClustering(base, { ...base, k: 6 })).toBe(false);
    expect(sameClustering(base, { ...base, model: { id: 'presto' } })).toBe(false);
  });
});
