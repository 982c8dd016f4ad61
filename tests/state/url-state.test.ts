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

  it('round-trips a drawn polygon with a pack or a STAC source; its box is its bounding box', () => {
    const polygon: [number, number][] = [
      [12.16, 46.61],
      [12.2, 46.61],
      [12.2, 46.585],
      [12.25, 46.58],
      [12.16, 46.55],
    ];
    const pack: ViewState = {
      source: { kind: 'pack', name: 'dolomites-2022-06', bbox: [12.16, 46.55, 12.25, 46.61], polygon },
    };
    const link = serializeViewState(pack);
    expect(new URLSearchParams(link).get('poly')).toBe(
      '12.16,46.61;12.2,46.61;12.2,46.585;12.25,46.58;12.16,46.55',
    );
    expect(parseViewState(link)).toEqual({ state: pack, rejected: [] });
    const stac: ViewState = {
      source: {
        kind: 'stac',
        endpoint: 'https://earth-search.aws.element84.com/v1',
        bbox: [12.16, 46.55, 12.25, 46.61],
        datetime: '2022-06-01T00:00:00Z/2022-08-31T23:59:59Z',
        polygon,
      },
    };
    expect(parseViewState(serializeViewState(stac))).toEqual({ state: stac, rejected: [] });
    // A bbox that disagrees with the polygon yields to the polygon's own box.
    const skewed = parseViewState('?pack=p&bbox=0,0,1,1&poly=12.16,46.61;12.2,46.61;12.2,46.55');
    expect(skewed.state.source?.bbox).toEqual([12.16, 46.55, 12.2, 46.61]);
    // A pack may carry a plain box too.
    expect(parseViewState('?pack=p&bbox=12,46,13,47').state.source).toEqual({
      kind: 'pack',
      name: 'p',
      bbox: [12, 46, 13, 47],
    });
  });

  it('rejects a malformed, crossing or orphaned polygon, keeping the rest of the link', () => {
    const cases: [string, string][] = [
      ['?pack=p&poly=1,2;3', 'expected LON,LAT'],
      ['?pack=p&poly=1,2;3,4', 'at least 3 corners'],
      ['?pack=p&poly=0,0;1,1;1,0;0,1', 'cross'],
      ['?pack=p&poly=0,0;1,89;2,0', 'latitude'],
      ['?pack=p&poly=<script>', 'expected LON,LAT'],
      [
        `?pack=p&poly=${Array.from({ length: 101 }, (_, i) => `${Math.cos(i / 16)},${Math.sin(i / 16)}`).join(';')}`,
        'at most 100',
      ],
      ['?poly=0,0;1,0;0,1', 'needs a pack or stac source'],
      ['?pack=p&bbox=3,0,1,1', 'bbox'],
    ];
    for (const [search, why] of cases) {
      const { state, rejected } = parseViewState(search);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toContain(why);
      // The pack itself still opens, whole.
      if (search.startsWith('?pack')) expect(state.source).toEqual({ kind: 'pack', name: 'p' });
      else expect(state.source).toBeUndefined();
    }
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

describe('the load resolution in links (res_m)', () => {
  it('round-trips with a pack (with or without an area) and with a STAC search', () => {
    const sources: NonNullable<ViewState['source']>[] = [
      { kind: 'pack', name: 'dolomites-2022-06', resolutionM: 40 },
      { kind: 'pack', name: 'dolomites-2022-06', bbox: [12.16, 46.55, 12.25, 46.61], resolutionM: 160 },
      {
        kind: 'stac',
        endpoint: 'https://earth-search.aws.element84.com/v1',
        bbox: [11, 46, 12.5, 47],
        datetime: '2022-06-01T00:00:00Z/2022-08-31T23:59:59Z',
        resolutionM: 20,
      },
    ];
    for (const source of sources) {
      const link = serializeViewState({ source });
      expect(new URLSearchParams(link).get('res_m')).toBe(String(source.resolutionM));
      expect(parseViewState(link)).toEqual({ state: { source }, rejected: [] });
    }
  });

  it('leaves out 10 m, the native grid, and reads res_m=10 as no resolution', () => {
    expect(serializeViewState({ source: { kind: 'pack', name: 'p', resolutionM: 10 } })).toBe('?pack=p');
    expect(parseViewState('?pack=p&res_m=10')).toEqual({
      state: { source: { kind: 'pack', name: 'p' } },
      rejected: [],
    });
  });

  it('keeps a polygon and its load resolution together', () => {
    const { state, rejected } = parseViewState('?pack=p&res_m=80&poly=12.16,46.61;12.2,46.61;12.2,46.55');
    expect(rejected).toEqual([]);
    expect(state.source).toEqual({
      kind: 'pack',
      name: 'p',
      bbox: [12.16, 46.55, 12.2, 46.61],
      polygon: [
        [12.16, 46.61],
        [12.2, 46.61],
        [12.2, 46.55],
      ],
      resolutionM: 80,
    });
  });

  it('rejects any other value, or one without a source, and still opens the source', () => {
    for (const bad of ['30', '40.5', '0', '-40', '4e1', ' 40', '40m', '', '<script>', '1e309']) {
      const { state, rejected } = parseViewState(`?pack=p&res_m=${encodeURIComponent(bad)}`);
      expect(rejected, bad).toEqual(['res_m: expected a load resolution of 10, 20, 40, 80, 160 (metres)']);
      expect(state.source).toEqual({ kind: 'pack', name: 'p' });
    }
    expect(parseViewState('?res_m=40')).toEqual({
      state: {},
      rejected: ['res_m: a load resolution needs a pack or stac source'],
    });
  });
});
