import { describe, expect, it } from 'vitest';
import { sessionFromJson, sessionToJson } from '../../src/lib/state/session-file.ts';
import { parseViewState, serializeViewState, type ViewState } from '../../src/lib/state/url-state.ts';

describe('links and sessions name precomputed embeddings', () => {
  const state: ViewState = {
    precomputed: {
      family: 'collection',
      baseUrl: 'http://192.168.1.10:8090/emb/collection.json',
      year: 2022,
      area: [12.1, 46.5, 12.2, 46.56],
    },
    query: { lon: 12.15, lat: 46.53 },
    k: 6,
  };

  it('a link round-trips the product, base URL, year and area', () => {
    const text = serializeViewState(state);
    expect(text).toContain('emb=collection');
    expect(text).toContain(`emb_url=${encodeURIComponent('http://192.168.1.10:8090/emb/collection.json')}`);
    expect(parseViewState(text)).toEqual({ state, rejected: [] });
  });

  it('a session file keeps them', () => {
    const session = { id: 's1', name: 'x', savedAt: '2026-12-03T07:00:00Z', view: state, clusterNames: [] };
    expect(sessionFromJson(sessionToJson(session)).session.view).toEqual(state);
  });

  it('malformed parameters are dropped and named', () => {
    const bad = parseViewState('?emb=collection&emb_url=javascript:alert(1)&emb_year=22');
    expect(bad.state.precomputed).toBeUndefined();
    expect(bad.rejected).toContain('emb_url: not an http(s) URL');
    const year = parseViewState('?emb=collection&emb_url=https://x.org/c.json&emb_year=twenty&emb_bbox=1,2');
    expect(year.state.precomputed).toEqual({ family: 'collection', baseUrl: 'https://x.org/c.json' });
    expect(year.rejected).toEqual([
      'emb_year: expected a year such as 2022',
      'emb_bbox: expected W,S,E,N in degrees',
    ]);
    expect(parseViewState('?emb=Bad%20Name').rejected).toEqual(['emb: "Bad Name" is not a product name']);
  });
});
