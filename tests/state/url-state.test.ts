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
