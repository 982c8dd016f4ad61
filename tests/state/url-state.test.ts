import { describe, expect, it } from 'vitest';
import { parseViewState, serializeViewState, type ViewState } from '../../src/lib/state/url-state.ts';

describe('shareable view state in the URL', () => {
  it('round-trips every field', () => {
    const state: ViewState = {
      source: { kind: 'pack', name: 'dolomites-2022-06' },
      composite: 'ndvi',
      query: { lon: 12.206123, lat: 46.580456 },
      threshold: 0.93,
      k: 8,
      seed: 3,
    };
    const parsed = parseViewState(serializeViewState(state));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.state).toEqual(state);
  });

  it('round-trips a STAC source', () => {
    const state: ViewState = {
      source: {
        kind: 'stac',
        endpoint: 'https://earth-search.aws.element84.com/v1',
        bbox: [12.06, 46.5, 12.19, 46.58],
        datetime: '2022-06-01T00:00:00Z/2022-08-31T23:59:59Z',
      },
    };
    expect(parseViewState(serializeViewState(state)).state).toEqual(state);
  });

  it('rejects malformed or hostile values and says which', () => {
    const { state, rejected } = parseViewState(
      '?pack=../../etc&view=<script>&q=500,1&t=2&k=50&seed=-1&stac=javascript:alert(1)&bbox=1,2,3,4&datetime=x/y',
    );
    expect(state).toEqual({});
    expect(rejected.map((r) => r.split(':')[0])).toEqual(['pack', 'stac', 'view', 'q', 't', 'k', 'seed']);
  });

  it('leaves out defaults', () => {
    expect(serializeViewState({ composite: 'true-colour' })).toBe('');
  });
});

describe('links with few-shot picks, scene ids and the model', () => {
  it('round-trips picks, items and the model with its hash prefix and resolution', () => {
    const state = {
      source: { kind: 'pack' as const, name: 's2-29rkh-2020-02' },
      items: ['S2A_29RKH_20200219_0_L2A'],
      model: { id: 'presto', sha256: '63023c8d9862', factor: 8 },
      query: { lon: -11.5, lat: 24.8 },
      positives: [
        { lon: -11.4, lat: 24.7 },
        { lon: -11.3, lat: 24.75 },
      ],
      negatives: [{ lon: -11.6, lat: 24.9 }],
    };
    const text = serializeViewState({
      ...state,
      model: { ...state.model, sha256: `${state.model.sha256}${'0'.repeat(52)}` },
    });
    expect(text).toContain('model=presto%4063023c8d9862');
    expect(text).toContain('res=8');
    expect(parseViewState(text)).toEqual({ state, rejected: [] });
  });

  it('rejects malformed picks, ids and models, naming the parameter', () => {
    const many = Array.from({ length: 51 }, () => '1,2').join(';');
    const { state, rejected } = parseViewState(
      `?pos=${encodeURIComponent(many)}&neg=1,95&items=${encodeURIComponent('<script>')}&model=Presto!&res=2`,
    );
    expect(state).toEqual({});
    expect(rejected.map((r) => r.split(':')[0])).toEqual(['pos', 'neg', 'items', 'model']);
    expect(parseViewState('?model=presto&res=0').rejected).toEqual([
      'res: expected a resolution factor from 1 to 64',
    ]);
  });
});
