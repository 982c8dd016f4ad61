import { describe, expect, it } from 'vitest';
import {
  addClass,
  deleteClass,
  emptyLabelState,
  labelCounts,
  mergeClasses,
  recolourClass,
  renameClass,
} from '../../src/lib/classify/classes.ts';
import {
  importCsvLabels,
  importGeoJsonLabels,
  labelsToCsv,
  labelsToGeoJson,
} from '../../src/lib/classify/label-files.ts';
import { addLabels, edit, historyOf, redo, undo } from '../../src/lib/classify/labels.ts';
import { classifyGrid, train, withUncertain } from '../../src/lib/classify/model.ts';
import { suggestLabels } from '../../src/lib/classify/suggest.ts';
import { buildTrainingSet } from '../../src/lib/classify/training-set.ts';
import { NO_CLASS, UNCERTAIN } from '../../src/lib/classify/types.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { converter } from '../../src/lib/geo/index.ts';

describe('classes', () => {
  it('are created, renamed, recoloured, merged and deleted; labels follow', () => {
    let s = addClass(addClass(addClass(emptyLabelState(), 'water'), 'forest'), 'lake', '#0000FF');
    const [water, forest, lake] = s.classes;
    expect(lake!.colour).toBe('#0000ff');
    expect(water!.colour).toMatch(/^#[0-9a-f]{6}$/);
    s = addLabels(s, water!.id, [{ kind: 'point', at: [12.1, 46.5] }]);
    s = addLabels(s, lake!.id, [
      { kind: 'point', at: [12.2, 46.5] },
      { kind: 'point', at: [12.3, 46.5] },
    ]);
    expect(labelCounts(s)).toEqual([1, 0, 2]);
    s = mergeClasses(s, lake!.id, water!.id);
    expect(labelCounts(s)).toEqual([3, 0]);
    s = renameClass(recolourClass(s, forest!.id, '#228b22'), forest!.id, 'conifer forest');
    expect(s.classes[1]).toMatchObject({ name: 'conifer forest', colour: '#228b22' });
    expect(() => addClass(s, 'WATER')).toThrow(/already a class/);
    expect(() => recolourClass(s, water!.id, 'blue')).toThrow(/#1f77b4/);
    s = deleteClass(s, water!.id);
    expect(s.labels).toEqual([]);
    expect(s.classes.map((c) => c.name)).toEqual(['conifer forest']);
  });

  it('undo and redo step through edits; a refused edit leaves history alone', () => {
    let h = historyOf(emptyLabelState());
    h = edit(h, (s) => addClass(s, 'rock'));
    const rock = h.present.classes[0]!.id;
    h = edit(h, (s) => addLabels(s, rock, [{ kind: 'point', at: [12, 46] }]));
    expect(() => edit(h, (s) => addLabels(s, rock, [{ kind: 'point', at: [200, 46] }]))).toThrow(
      /on the Earth/,
    );
    h = undo(h);
    expect(h.present.labels).toHaveLength(0);
    h = redo(h);
    expect(h.present.labels).toHaveLength(1);
    h = undo(undo(h));
    expect(h.present.classes).toHaveLength(0);
    expect(undo(h)).toBe(h);
  });
});

describe('label files', () => {
  it('reads GeoJSON in a declared UTM CRS, lists bad features and keeps the good ones', () => {
    const toUtm = converter(4326, 32632);
    const p = toUtm([12.1357, 46.5405]);
    const ring = [
      [12.13, 46.54],
      [12.14, 46.54],
      [12.14, 46.545],
      [12.13, 46.545],
      [12.13, 46.54],
    ].map((q) => toUtm(q as [number, number]));
    const doc = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32632' } },
      features: [
        { type: 'Feature', properties: { class: 'water' }, geometry: { type: 'Point', coordinates: p } },
        {
          type: 'Feature',
          properties: { class: 'forest' },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } },
        {
          type: 'Feature',
          properties: { class: 'rock' },
          geometry: { type: 'LineString', coordinates: [p, p] },
        },
        { type: 'Feature', properties: { class: 'rock' }, geometry: null },
      ],
    };
    const result = importGeoJsonLabels(emptyLabelState(), JSON.stringify(doc));
    expect(result.added).toBe(2);
    expect(result.errors).toEqual([
      { row: 3, reason: 'it has no "class" property' },
      { row: 4, reason: 'its geometry type LineString is not a point or polygon' },
      { row: 5, reason: 'it has no geometry' },
    ]);
    expect(result.state.classes.map((c) => c.name)).toEqual(['water', 'forest']);
    const point = result.state.labels[0]!.geometry;
    expect(point.kind).toBe('point');
    if (point.kind === 'point') {
      expect(point.at[0]).toBeCloseTo(12.1357, 7);
      expect(point.at[1]).toBeCloseTo(46.5405, 7);
    }
  });

  it('refuses a GeoJSON whose CRS the app does not know, with a clear message', () => {
    const doc = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:2056' } },
      features: [],
    };
    expect(() => importGeoJsonLabels(emptyLabelState(), JSON.stringify(doc))).toThrow(
      /EPSG:2056 is not supported/,
    );
    expect(() => importGeoJsonLabels(emptyLabelState(), '{oops')).toThrow(/not valid JSON/);
  });

  it('reads CSV rows, lists bad ones by line, and round-trips through its own exports', () => {
    const csv = 'Lon,Lat,class\n12.1,46.5,water\n12.2,abc,forest\n12.3,46.6,\n12.4,46.7,forest\n';
    const result = importCsvLabels(emptyLabelState(), csv);
    expect(result.added).toBe(2);
    expect(result.errors).toEqual([
      { row: 3, reason: 'lon and lat must be numbers' },
      { row: 4, reason: 'it has no "class" property' },
    ]);
    const { csv: out, skippedPolygons } = labelsToCsv(result.state);
    expect(skippedPolygons).toBe(0);
    expect(out).toBe('lon,lat,class\n12.1,46.5,water\n12.4,46.7,forest');
    const again = importGeoJsonLabels(emptyLabelState(), labelsToGeoJson(result.state));
    expect(again.errors).toEqual([]);
    expect(again.state.labels.map((l) => l.geometry)).toEqual(result.state.labels.map((l) => l.geometry));
    expect(() => importCsvLabels(emptyLabelState(), 'a,b\n1,2')).toThrow(/lon, lat and class/);
  });
});

describe('labels on a grid, classification, uncertainty and suggestions', () => {
  // 40 x 30 grid, 10 m UTM 32N; left half "water" (vector e0), right half "forest" (e1),
  // with a blend across the middle columns where a model cannot be sure.
  const W = 40;
  const H = 30;
  const georef = { epsg: 32632, transform: { originX: 740000, originY: 5170000, resX: 10, resY: 10 } };
  const data = new Float32Array(W * H * 2);
  const valid = new Uint8Array(W * H).fill(1);
  for (let r = 0; r < H; r++)
    for (let c = 0; c < W; c++) {
      const t = Math.min(1, Math.max(0, (c - 15) / 10));
      data[(r * W + c) * 2] = 1 - t;
      data[(r * W + c) * 2 + 1] = t;
    }
  valid[0] = 0;
  const grid = createEmbeddingGrid(W, H, 2, data, valid, georef);
  const toWgs = converter(32632, 4326);
  const at = (c: number, r: number) => toWgs([740000 + c * 10 + 5, 5170000 - r * 10 - 5]);

  let s = addClass(addClass(emptyLabelState(), 'water'), 'forest');
  const [water, forest] = s.classes;
  s = addLabels(s, water!.id, [
    { kind: 'point', at: at(2, 2) },
    { kind: 'point', at: at(0, 0) }, // invalid pixel
    { kind: 'polygon', ring: [at(1, 10), at(5, 10), at(5, 14), at(1, 14)] },
  ]);
  s = addLabels(s, forest!.id, [
    { kind: 'point', at: at(35, 20) },
    { kind: 'point', at: at(2, 2) }, // conflicts with water
    { kind: 'point', at: [12.9, 47.9] }, // off the grid
  ]);

  it('turns labels into pixels, counting what it leaves out', () => {
    const report = buildTrainingSet(grid, s);
    expect(report.invalid).toBe(1);
    expect(report.conflicting).toBe(1);
    expect(report.outside).toBe(1);
    expect(report.perClass[1]).toBe(1);
    expect(report.perClass[0]).toBeGreaterThanOrEqual(9); // the polygon's pixel centres
    expect(report.set.dim).toBe(2);
  });

  it('classifies the grid, marks uncertain pixels and suggests places to label', () => {
    const { set } = buildTrainingSet(grid, s);
    const map = classifyGrid(
      train(set, { method: 'logreg', l2: 1e-3, tolerance: 1e-6, maxIterations: 500 }),
      grid,
    );
    expect(map.best[0]).toBe(NO_CLASS);
    expect(Number.isNaN(map.confidence[0])).toBe(true);
    expect(map.best[5 * W + 3]).toBe(0);
    expect(map.best[5 * W + 38]).toBe(1);
    const shown = withUncertain(map, 0.9);
    expect(shown[5 * W + 20]).toBe(UNCERTAIN);
    expect(shown[5 * W + 3]).toBe(0);
    const suggestions = suggestLabels(map, { width: W, height: H, ...georef }, 3, 5);
    expect(suggestions).toHaveLength(3);
    for (const sg of suggestions) expect(Math.abs(sg.col - 20)).toBeLessThanOrEqual(3);
  });
});
