import { describe, expect, it } from 'vitest';
import { type LegendSources, markerCounts, snapshotLegends } from '../../src/app/explorer-exports.ts';
import { MARKER_COLOURS } from '../../src/lib/render/index.ts';

const NOTHING: LegendSources = {
  visible: [],
  similarity: undefined,
  threshold: 0,
  clusters: undefined,
  clusterNames: [],
  hiddenClusters: new Set(),
  pca: undefined,
  change: undefined,
  changeThreshold: 0,
  classes: undefined,
};

const point = { lon: 11.8, lat: 46.5, col: 1, row: 2 };

describe("the PNG snapshot's marker key", () => {
  it('names the few-shot markers (like, unlike) in the colours the map draws them, before the layer legends', () => {
    const markers = markerCounts({
      query: point,
      places: Array.from({ length: 10 }, () => point),
      positives: [point, point],
      negatives: [point],
    });
    const legends = snapshotLegends({
      ...NOTHING,
      visible: ['similarity'],
      similarity: { scores: new Float32Array(4), min: 0, max: 1, histogram: [], places: [] },
      threshold: 0.5,
      markers,
    });
    expect(legends.map((l) => l.title)).toEqual(['Map markers', 'Cosine similarity']);
    const key = legends[0];
    if (key?.kind !== 'swatches') throw new Error('the marker key is not a list of swatches');
    expect(key.shape).toBe('dot');
    expect(key.items).toEqual([
      { name: 'query', colour: MARKER_COLOURS.query.slice(0, 3) },
      { name: 'top 10', colour: MARKER_COLOURS.result.slice(0, 3) },
      { name: 'like (shift-click)', colour: MARKER_COLOURS.positive.slice(0, 3) },
      { name: 'unlike (alt-click)', colour: MARKER_COLOURS.negative.slice(0, 3) },
    ]);
  });

  it('keys only the markers on the map, and none without a query', () => {
    const oneClick = markerCounts({ query: point, places: [point], positives: [], negatives: [] });
    const key = snapshotLegends({ ...NOTHING, markers: oneClick })[0];
    expect(key?.kind === 'swatches' && key.items.map((i) => i.name)).toEqual(['query', 'top 10']);
    const none = markerCounts({ query: undefined, places: [], positives: [], negatives: [] });
    expect(snapshotLegends({ ...NOTHING, markers: none })).toEqual([]);
  });
});
