import type { Feature, FeatureCollection, Position } from 'geojson';
import type { BBox } from '../geo/index.ts';

/**
 * Which country outlines the basemap hands to deck.gl. deck.gl draws every vertex of a layer
 * on every frame, visible or not; the 1:50m outlines have ~80,000, and on a software GPU
 * (SwiftShader: a school laptop whose GPU is blocklisted, or a headless browser) each redraw
 * of the whole world took ~2.5 s while panning over one scene. So: the 1:110m outlines when
 * much of the world is in view, and the 1:50m ones of only the countries near the view when
 * zoomed in.
 */
export interface OutlineSets {
  /** 1:110m, ~8,000 vertices: drawn whole. */
  coarse: FeatureCollection;
  /** 1:50m, ~80,000 vertices: culled to the view. */
  fine: FeatureCollection;
}

/** Below this zoom much of the world is in view: the coarse set, whole. */
export const FINE_OUTLINES_MIN_ZOOM = 4;

export interface IndexedFeature {
  feature: Feature;
  bbox: BBox;
}

/**
 * Each polygon of each country as its own feature (same properties) with its lon/lat bounding
 * box, computed once. Per polygon, not per country: France with Réunion, or the United States
 * with Alaska and Hawaii, would otherwise span the globe and always be drawn.
 */
export function indexFeatures(collection: FeatureCollection): IndexedFeature[] {
  return collection.features.flatMap((feature) => {
    const g = feature.geometry;
    const polygons =
      g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : [];
    return polygons.map((coordinates) => ({
      feature: { ...feature, geometry: { type: 'Polygon', coordinates } } satisfies Feature,
      bbox: polygonBBox(coordinates),
    }));
  });
}

function polygonBBox(rings: Position[][], shift = false): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [x = 0, lat = 0] of ring) {
      const lon = shift && x < 0 ? x + 360 : x;
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  // A ring that jumps across the antimeridian (Chukotka, Fiji) spans the globe in plain
  // longitudes; in 0..360 it is narrow, past +180 (featuresIn also tries views shifted by 360).
  return !shift && box[2] - box[0] > 180 ? polygonBBox(rings, true) : box;
}

/**
 * The view's bounds grown by `margin` times its size on every side, so that small pans keep
 * the same set (a new set re-tessellates the layer) and outlines never pop in at the edge.
 */
export function grownBounds(view: BBox, margin = 1): BBox {
  const w = (view[2] - view[0]) * margin;
  const h = (view[3] - view[1]) * margin;
  return [view[0] - w, Math.max(-90, view[1] - h), view[2] + w, Math.min(90, view[3] + h)];
}

function intersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/**
 * Indices of the features whose bounding box meets `bounds` (lon/lat, west < east; a view
 * across the antimeridian has a west or east beyond +-180, so it is also tried shifted by 360).
 */
export function featuresIn(index: readonly IndexedFeature[], bounds: BBox): number[] {
  const [w, s, e, n] = bounds;
  const tries: BBox[] = [bounds, [w - 360, s, e - 360, n], [w + 360, s, e + 360, n]];
  const out: number[] = [];
  index.forEach((f, i) => {
    if (tries.some((b) => intersects(f.bbox, b))) out.push(i);
  });
  return out;
}

const within = (inner: BBox, outer: BBox) =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

/**
 * Chooses the outlines for each view, with hysteresis: the polygons near a grown view are kept
 * (the same object, so deck.gl does not re-tessellate) until the view leaves that grown area or
 * becomes much smaller than it, and only then chosen again.
 */
export class OutlineSelector {
  private readonly index: IndexedFeature[];
  /** The area whose polygons `chosen` holds; undefined while the coarse set is chosen. */
  private covered: BBox | undefined;
  private chosen: FeatureCollection;

  constructor(private readonly sets: OutlineSets) {
    this.index = indexFeatures(sets.fine);
    this.chosen = sets.coarse;
  }

  /** `view`: the lon/lat bounds on screen. */
  select(view: BBox, zoom: number): FeatureCollection {
    if (zoom < FINE_OUTLINES_MIN_ZOOM) {
      this.covered = undefined;
      this.chosen = this.sets.coarse;
      return this.chosen;
    }
    const c = this.covered;
    if (c && within(view, c) && (view[2] - view[0]) * 8 > c[2] - c[0]) return this.chosen;
    this.covered = grownBounds(view);
    const ids = featuresIn(this.index, this.covered);
    this.chosen = { type: 'FeatureCollection', features: ids.map((i) => this.index[i]!.feature) };
    return this.chosen;
  }
}
