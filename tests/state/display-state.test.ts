import { describe, expect, it } from 'vitest';
import {
  completeOrder,
  DEFAULT_LAYER_ORDER,
  moveLayer,
  raiseLayer,
} from '../../src/lib/state/display-state.ts';
import { parseViewState, serializeViewState, type ViewState } from '../../src/lib/state/url-state.ts';

describe('how results are shown: layer order and display state (issue 14, items 2 and 5)', () => {
  it('a new result comes to the top; the others keep their order', () => {
    const order = raiseLayer(DEFAULT_LAYER_ORDER, 'clusters');
    expect(order).toEqual(['clusters', 'similarity', 'classes', 'change', 'pca']);
    // A click after clustering: the heat map goes over the clusters again.
    expect(raiseLayer(order, 'similarity')[0]).toBe('similarity');
    expect(raiseLayer(order, 'similarity')[1]).toBe('clusters');
  });

  it('moves a layer one place up or down, never past either end', () => {
    expect(moveLayer(['similarity', 'clusters', 'pca'], 'pca', -1)).toEqual([
      'similarity',
      'pca',
      'clusters',
    ]);
    expect(moveLayer(['similarity', 'clusters', 'pca'], 'similarity', 1)).toEqual([
      'clusters',
      'similarity',
      'pca',
    ]);
    expect(moveLayer(['similarity', 'clusters'], 'similarity', -1)).toEqual(['similarity', 'clusters']);
    expect(moveLayer(['similarity', 'clusters'], 'clusters', 1)).toEqual(['similarity', 'clusters']);
  });

  it('completes a partial order with the defaults', () => {
    expect(completeOrder(['pca', 'clusters'])).toEqual([
      'pca',
      'clusters',
      'similarity',
      'classes',
      'change',
    ]);
  });

  it('round-trips every piece through a link', () => {
    const state: ViewState = {
      source: { kind: 'pack', name: 'dolomites-2022-06' },
      k: 12,
      seed: 1,
      display: {
        order: ['pca', 'clusters', 'similarity', 'classes', 'change'],
        hidden: ['similarity', 'imagery'],
        opacity: { clusters: 0.4, imagery: 0.5 },
        hiddenClusters: [0, 3],
        pca: true,
      },
    };
    const text = serializeViewState(state);
    expect(text).toContain('order=pca%2Cclusters');
    expect(text).toContain('off=similarity%2Cimagery');
    expect(text).toContain('hide=0%2C3');
    expect(text).toContain('pca=1');
    const parsed = parseViewState(text);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.state).toEqual(state);
  });

  it('the default display adds nothing to a link', () => {
    const text = serializeViewState({
      source: { kind: 'pack', name: 'p' },
      display: { order: [...DEFAULT_LAYER_ORDER], opacity: { clusters: 0.75 } },
    });
    expect(text).toBe('?pack=p');
  });

  it('rejects malformed display parameters and says which', () => {
    const { state, rejected } = parseViewState(
      '?pack=p&order=similarity,basemap&off=nope&op=clusters:2&hide=1,x&pca=yes',
    );
    expect(state).toEqual({ source: { kind: 'pack', name: 'p' } });
    expect(rejected.map((r) => r.split(':')[0])).toEqual(['order', 'off', 'op', 'hide', 'pca']);
  });
});

describe('links from dropped files (issue 14, item 4)', () => {
  it('name the files and their stored-value convention instead of a source', () => {
    const state: ViewState = {
      files: { names: ['B02.tif', 'B03.tif', 'B04.tif', 'B08 (1).tif'], convention: 'no-offset' },
      query: { lon: 12.2, lat: 46.57 },
    };
    const text = serializeViewState(state);
    expect(text).toContain('files=B02.tif%2FB03.tif');
    const parsed = parseViewState(text);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.state).toEqual(state);
  });

  it('refuse paths, odd names and files beside a pack', () => {
    expect(parseViewState('?files=../etc/passwd').rejected[0]).toMatch(/^files:/);
    expect(parseViewState('?files=a%0Ab.tif').rejected[0]).toMatch(/^files:/);
    expect(parseViewState('?pack=p&files=B02.tif').rejected[0]).toMatch(/^files:/);
    expect(parseViewState('?files=B02.tif&dn=raw').rejected[0]).toMatch(/^dn:/);
  });
});
