import { describe, expect, it } from 'vitest';
import { parseViewState, serializeViewState, type ViewState } from '../../src/lib/state/url-state.ts';

describe('links name the change between dates on screen', () => {
  it('round-trip: the other date’s scene ids, its label and the change threshold', () => {
    const state: ViewState = {
      source: { kind: 'pack', name: 'dolomites-change' },
      items: ['dolomites-2022-06'],
      model: { id: 'spectral' },
      change: { items: ['dolomites-2022-08'], label: '2022-08-01 (dolomites-2022-08)', threshold: 0.042 },
    };
    const back = parseViewState(serializeViewState(state));
    expect(back.rejected).toEqual([]);
    expect(back.state.change).toEqual(state.change);
  });

  it('malformed change parameters are refused and named, the rest of the link kept', () => {
    const { state, rejected } = parseViewState('?pack=p&chg=a%20b&k=5');
    expect(state.change).toBeUndefined();
    expect(state.k).toBe(5);
    expect(rejected).toEqual(['chg: expected up to 12 scene ids separated by ","']);
    const bad = parseViewState('?pack=p&chg=s2&chg_label=%3Cscript%3E&chg_t=-1');
    expect(bad.state.change).toBeUndefined();
    expect(bad.rejected).toEqual(['chg_label: expected a short date or scene label']);
    const t = parseViewState('?pack=p&chg=s2&chg_t=x');
    expect(t.state.change).toEqual({ items: ['s2'], label: 's2' });
    expect(t.rejected).toEqual(['chg_t: expected a change threshold (a number >= 0)']);
  });
});
