import { Deck, MapView, type MapViewState, WebMercatorViewport } from '@deck.gl/core';
import type { FeatureCollection } from 'geojson';
import { basemapLayers, loadCountryOutlines, OutlineSelector } from '../../src/lib/layers/index.ts';

export interface MapRedrawRequest {
  /** Timed redraws per variant, after `warmup` untimed ones. */
  frames: number;
  warmup: number;
}

export interface MapRedrawVariant {
  /** Milliseconds per redraw, each until its pixels can be read back. */
  frameMs: number[];
  vertices: number;
  polygons: number;
}

export interface MapRedrawReply {
  whole: MapRedrawVariant;
  culled: MapRedrawVariant;
  renderer: string;
}

// The view the app opens on: the Dolomites demo scene at zoom 9, as the explorer frames it.
const VIEW: MapViewState = { longitude: 12.14, latitude: 46.54, zoom: 9, pitch: 0, bearing: 0 };
const SIZE = { width: 1280, height: 800 };

function vertices(c: FeatureCollection): number {
  let n = 0;
  for (const f of c.features) {
    const g = f.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const p of polygons) for (const ring of p) n += ring.length;
  }
  return n;
}

/**
 * Draws the offline basemap (country outlines, no tiles) with deck.gl as the app does, and
 * times forced redraws, each ended by reading one pixel back so the GPU (SwiftShader here)
 * has finished it. Only the outlines differ between the variants.
 */
async function timeRedraws(
  outlines: FeatureCollection,
  request: MapRedrawRequest,
): Promise<MapRedrawVariant> {
  const parent = document.getElementById('map');
  if (!(parent instanceof HTMLDivElement)) throw new Error('the bench page has no #map');
  let firstDraw = () => {};
  const drawn = new Promise<void>((resolve) => {
    firstDraw = resolve;
  });
  const deck = new Deck<MapView>({
    parent,
    ...SIZE,
    views: new MapView({ repeat: false }),
    initialViewState: VIEW,
    layers: basemapLayers({ tiles: undefined, outlines }),
    onAfterRender: () => firstDraw(),
  });
  try {
    await drawn;
    const canvas = deck.getCanvas();
    const gl = canvas?.getContext('webgl2');
    if (!gl) throw new Error('deck.gl drew on no WebGL2 canvas');
    const pixel = new Uint8Array(4);
    const frameMs: number[] = [];
    for (let i = 0; i < request.warmup + request.frames; i++) {
      const start = performance.now();
      deck.redraw('bench');
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      if (i >= request.warmup) frameMs.push(performance.now() - start);
    }
    return { frameMs, vertices: vertices(outlines), polygons: outlines.features.length };
  } finally {
    deck.finalize();
  }
}

function rendererName(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2';
  // The unmasked name says whether this is SwiftShader (software) or a real GPU.
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

export async function runMapRedraw(request: MapRedrawRequest): Promise<MapRedrawReply> {
  const sets = await loadCountryOutlines();
  const view = new WebMercatorViewport({ ...VIEW, ...SIZE }).getBounds();
  const culled = new OutlineSelector(sets).select(view, VIEW.zoom);
  return {
    whole: await timeRedraws(sets.fine, request),
    culled: await timeRedraws(culled, request),
    renderer: rendererName(),
  };
}
