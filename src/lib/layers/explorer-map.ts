import { Deck, type Layer, MapView, type MapViewState, WebMercatorViewport } from '@deck.gl/core';
import { BitmapLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { FeatureCollection } from 'geojson';
import type { DrawMode, PointerSample, PointerType } from '../geo/index.ts';
import { stageEnd, stageStart } from '../perf/index.ts';
import { MARKER_COLOURS } from '../render/index.ts';
import { basemapLayers } from './basemap.ts';
import { drawLayers } from './draw-layers.ts';
import { IdleFrames } from './idle-frames.ts';
import type { Corners, DrawOverlay, MapContent, Marker, RasterOverlay } from './layer-specs.ts';
import { listenForClicks } from './map-clicks.ts';
import { nextInitialView, viewportIn } from './map-view.ts';

type Corner = Corners[number];

import { OutlineSelector, type OutlineSets } from './outline-culling.ts';
import { ScoreLayer, type ScoreRaster } from './score-layer.ts';
import { warmUpBounds, warmUpScores } from './stand-ins.ts';

export interface MapHandlers {
  onClick(lon: number, lat: number, modifiers: { shift: boolean; alt: boolean }): void;
  /** Pointer events while a drawing tool is active (setDrawMode); clicks then draw, never query. */
  onDraw(type: PointerType, sample: PointerSample): void;
}

/**
 * deck.gl's own keyboard control is off: with the map focused the arrows move the app's
 * keyboard cursor (MapCanvas), which pans the map through panBy when it reaches an edge.
 */
const CONTROLLER = { doubleClickZoom: false, keyboard: false } as const;

/**
 * Dispatched (bubbling) on the map's container after each frame deck.gl draws, so benchmarks
 * and tests can time input-to-frame without polling screenshots.
 */
export const MAP_DRAWN_EVENT = 'eee-map-drawn';

/**
 * Dispatched on the map's container by a benchmark, it redraws the map at once with nothing
 * changed (deck.gl's redraw, synchronous): the frame cost of this map on this GPU, the
 * physical limit a threshold move's frame is measured against.
 */
export const MAP_REDRAW_EVENT = 'eee-map-redraw';

const START_VIEW: MapViewState = { longitude: 12.14, latitude: 46.54, zoom: 9, pitch: 0, bearing: 0 };

/** deck.gl's Deck whose render loop (protected there) takes its frames from IdleFrames. */
class IdleAwareDeck extends Deck<MapView> {
  useFrames(frames: IdleFrames): void {
    this.animationLoop?.setProps({ animationFrameProvider: frames });
  }
}

/**
 * The deck.gl map: one Deck on one canvas, created in the constructor and finalised in
 * destroy(). The UI hands it plain data (MapContent); only this folder knows deck.gl.
 */
export class ExplorerMap {
  private readonly deck: IdleAwareDeck;
  /** Frames at the display's rate only while the map moves or changes (idle-frames.ts). */
  private readonly frames = new IdleFrames({ settleMs: 300, idleMs: 250 });
  private viewState: MapViewState = START_VIEW;
  /** The initialViewState last handed to deck.gl. */
  private lastGiven: MapViewState | undefined;
  private basemap: Layer[] = [];
  private tiles: string | undefined;
  private outlines: OutlineSelector | undefined;
  /** The outlines the basemap layers were built with; null: not built since setBasemap. */
  private drawnOutlines: FeatureCollection | undefined | null = null;
  private content: Layer[] = [];
  private overlay: Layer[] = [];
  private drawMode: DrawMode | undefined;
  /**
   * Whether the pointer gesture under way began while drawing. The release that closes a
   * polygon ends drawing (capture phase, before the canvas sees it): the click of such a
   * gesture must not become a query.
   */
  private drawGesture = false;
  private readonly removeListeners: () => void;

  constructor(
    private readonly parent: HTMLDivElement,
    private readonly handlers: MapHandlers,
  ) {
    this.deck = new IdleAwareDeck({
      parent,
      views: new MapView({ repeat: false }),
      initialViewState: START_VIEW,
      controller: CONTROLLER,
      onViewStateChange: ({ viewState }) => {
        // Input, also outside the map while dragging, transitions and inertia: frames at once.
        this.frames.wake();
        this.viewState = viewState as MapViewState;
        this.updateBasemap();
      },
      getCursor: ({ isDragging }) => (isDragging ? 'grabbing' : 'crosshair'),
      // A resized canvas is drawn at the next frame, not after an idle wait.
      onResize: () => this.frames.wake(),
      onAfterRender: () => {
        this.frames.wake();
        stageEnd('draw');
        this.untabCanvas();
        this.addStandIns();
        parent.dispatchEvent(new Event(MAP_DRAWN_EVENT, { bubbles: true }));
      },
      // Keeps the drawing buffer readable for snapshots and pixel checks.
      deviceProps: { type: 'webgl', webgl: { preserveDrawingBuffer: true } },
    });
    this.deck.useFrames(this.frames);
    const redraw = () => this.deck.redraw('requested');
    parent.addEventListener(MAP_REDRAW_EVENT, redraw);
    // The controller's input moves the view from the next frame: it must come at once.
    const wake = () => this.frames.wake();
    const inputs = ['pointerdown', 'pointermove', 'wheel', 'keydown'] as const;
    for (const type of inputs) parent.addEventListener(type, wake, { capture: true, passive: true });
    const removeDrawing = this.listenForDrawing();
    const removeClicks = listenForClicks(parent, {
      canvas: () => this.deck.getCanvas(),
      ignore: () => this.drawMode !== undefined || this.drawGesture,
      onClick: (event) => {
        const sample = this.sample(event);
        if (sample) handlers.onClick(sample.lon, sample.lat, { shift: event.shiftKey, alt: event.altKey });
      },
    });
    this.removeListeners = () => {
      removeDrawing();
      removeClicks();
      parent.removeEventListener(MAP_REDRAW_EVENT, redraw);
      for (const type of inputs) parent.removeEventListener(type, wake, { capture: true });
    };
  }

  /**
   * deck.gl makes its canvas a tab stop (once its device exists, after the constructor); the
   * map's container is the one the app labels and gives the keyboard cursor, so the canvas
   * leaves the tab order (a click still focuses it).
   */
  private untabCanvas(): void {
    const canvas = this.deck.getCanvas();
    if (canvas && canvas.tabIndex !== -1) canvas.tabIndex = -1;
  }

  /**
   * Drawing reads DOM pointer events on the map's container (capture phase, so it sees each
   * press before deck.gl does) and turns them into map positions with the current viewport.
   */
  private listenForDrawing(): () => void {
    const forward = (type: PointerType) => (event: MouseEvent) => {
      if (!this.drawMode || event.button > 0) return;
      const sample = this.sample(event);
      if (sample) this.handlers.onDraw(type, sample);
    };
    const down = forward('down');
    const onDown = (event: PointerEvent) => {
      this.drawGesture = this.drawMode !== undefined;
      if (!this.drawGesture || event.button !== 0) return;
      // Keep receiving moves and the release when a rectangle is dragged past the map's edge.
      this.parent.setPointerCapture?.(event.pointerId);
      down(event);
    };
    const listeners: [string, (event: PointerEvent) => void][] = [
      ['pointerdown', onDown],
      ['pointermove', forward('move')],
      ['pointerup', forward('up')],
      ['dblclick', forward('dblclick')],
    ];
    for (const [type, listener] of listeners)
      this.parent.addEventListener(type, listener as EventListener, true);
    return () => {
      for (const [type, listener] of listeners)
        this.parent.removeEventListener(type, listener as EventListener, true);
    };
  }

  private sample(event: MouseEvent): PointerSample | undefined {
    const rect = this.parent.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const [lon, lat] = this.unproject(x, y) ?? [];
    return lon === undefined || lat === undefined ? undefined : { lon, lat, x, y };
  }

  /** Turns a drawing tool on or off; while on, dragging draws instead of panning. */
  setDrawMode(mode: DrawMode | undefined): void {
    if (mode === this.drawMode) return;
    this.drawMode = mode;
    this.deck.setProps({ controller: { ...CONTROLLER, dragPan: mode === undefined } });
  }

  setOverlay(overlay: DrawOverlay): void {
    this.overlay = drawLayers(overlay);
    this.render();
  }

  private render(): void {
    this.frames.wake();
    this.deck.setProps({ layers: [...this.basemap, ...this.content, ...this.overlay] });
  }

  /**
   * The ScoreRaster last handed to each score layer: a layer re-uploads its texture only when
   * its raster object changes, so a threshold move must hand the same object again.
   */
  private readonly scoreRasters = new Map<string, ScoreRaster>();

  /**
   * Score textures uploaded so far, also on the container as `data-score-uploads`: a new
   * query uploads one, a threshold move none (tests/e2e/explorer.e2e.ts reads it).
   */
  private scoreUploads = 0;
  private readonly countUpload = (): void => {
    this.scoreUploads++;
    this.parent.dataset.scoreUploads = String(this.scoreUploads);
  };

  private scoreRaster(r: RasterOverlay & { kind: 'score' }): ScoreRaster {
    const last = this.scoreRasters.get(r.id);
    if (last && last.values === r.values && last.width === r.width && last.height === r.height) return last;
    const raster = { values: r.values, width: r.width, height: r.height };
    this.scoreRasters.set(r.id, raster);
    return raster;
  }

  setContent(content: MapContent): void {
    this.shown = content;
    this.content = this.contentLayers(content);
    stageStart('draw');
    this.render();
  }

  /** The content last given; its layers are rebuilt with the stand-ins once it has been drawn. */
  private shown: MapContent | undefined;
  /** Whether the first-click stand-ins are drawn: only after a frame with content (see below). */
  private standIns = false;

  /**
   * After the first frame with content, the same content again with the stand-ins, so their
   * set-up costs the GPU after the imagery shows rather than in its frame or in the click's.
   */
  private addStandIns(): void {
    if (this.standIns || !this.shown?.rasters.length) return;
    this.standIns = true;
    setTimeout(() => {
      if (!this.shown) return;
      this.content = this.contentLayers(this.shown);
      this.render();
    }, 0);
  }

  private contentLayers(content: MapContent): Layer[] {
    const layers: Layer[] = content.rasters.map((r) => {
      // deck.gl wants [bottom-left, top-left, top-right, bottom-right].
      const bounds: [Corner, Corner, Corner, Corner] = [
        r.corners[3],
        r.corners[0],
        r.corners[1],
        r.corners[2],
      ];
      const shared = { id: r.id, bounds, visible: r.visible, opacity: r.opacity, pickable: false };
      if (r.kind === 'score')
        return new ScoreLayer({
          ...shared,
          scores: this.scoreRaster(r),
          threshold: r.threshold,
          low: r.threshold,
          high: r.max,
          onScoresUploaded: this.countUpload,
        });
      return new BitmapLayer({
        ...shared,
        image: r.image,
        textureParameters: { minFilter: 'nearest', magFilter: 'nearest' },
      });
    });
    // With a scene on the map, a similarity layer is there before the first click: a texture of
    // the imagery's size with no score in it, drawn transparent over a few screen pixels, so
    // the texture exists and its pipeline is built while the user looks at the scene. On a
    // software GPU (SwiftShader) the first heat map's frame otherwise took 0.2-0.9 s longer
    // than later ones (bench/README.md, the user flow), which the first click waited for.
    const first = content.rasters[0];
    if (this.standIns && first?.kind === 'image' && !content.rasters.some((r) => r.id === 'similarity'))
      layers.push(
        new ScoreLayer({
          id: 'similarity',
          scores: warmUpScores(first.image.width, first.image.height),
          bounds: warmUpBounds(first.corners),
          pickable: false,
        }),
      );
    // While there is no marker, one of radius 0 is drawn, so the markers' pipeline too is built
    // before the first click rather than in its frame.
    const standIn: Marker | undefined =
      this.standIns && content.markers.length === 0 && first
        ? { lon: first.corners[0][0], lat: first.corners[0][1], kind: 'query', colour: [0, 0, 0, 0] }
        : undefined;
    layers.push(
      new ScatterplotLayer<Marker>({
        id: 'markers',
        data: standIn ? [standIn] : content.markers,
        getPosition: (m) => [m.lon, m.lat],
        getFillColor: (m) => m.colour ?? MARKER_COLOURS[m.kind],
        getLineColor: (m) => (m === standIn ? [0, 0, 0, 0] : [20, 20, 20, 255]),
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        radiusUnits: 'pixels',
        getRadius: (m) => (m === standIn ? 0 : m.kind === 'result' ? 5 : m.kind === 'label' ? 4 : 7),
      }),
    );
    return layers;
  }

  /** Online tiles (when reachable) over country outlines (always: they work offline). */
  setBasemap(tiles: string | undefined, outlines: OutlineSets | undefined): void {
    this.tiles = tiles;
    this.outlines = outlines && new OutlineSelector(outlines);
    this.drawnOutlines = null;
    this.updateBasemap();
  }

  /** Re-chooses the outlines for the current view; re-renders only when the choice changed. */
  private updateBasemap(): void {
    const outlines = this.outlines?.select(this.viewport().getBounds(), this.viewState.zoom);
    if (outlines === this.drawnOutlines) return;
    this.drawnOutlines = outlines;
    this.basemap = basemapLayers({ tiles: this.tiles, outlines });
    this.render();
  }

  /** Frames the corners of a raster in the canvas. */
  fitCorners(corners: Corners): void {
    const lons = corners.map((c) => c[0]);
    const lats = corners.map((c) => c[1]);
    const { width, height } = this.parent.getBoundingClientRect();
    const viewport = new WebMercatorViewport({ width: Math.max(width, 100), height: Math.max(height, 100) });
    const { longitude, latitude, zoom } = viewport.fitBounds(
      [
        [Math.min(...lons), Math.min(...lats)],
        [Math.max(...lons), Math.max(...lats)],
      ],
      { padding: 24 },
    );
    this.setView({ longitude, latitude, zoom, pitch: 0, bearing: 0 }, 0);
  }

  flyTo(lon: number, lat: number, zoom = Math.max(this.viewState.zoom, 14)): void {
    this.setView({ ...this.viewState, longitude: lon, latitude: lat, zoom }, 800);
  }

  private setView(view: MapViewState, durationMs: number): void {
    this.viewState = view;
    // A fly-to reports its frames through onViewStateChange; a jump does not.
    this.updateBasemap();
    const given = nextInitialView(view, durationMs, this.lastGiven);
    this.lastGiven = given;
    this.frames.wake();
    this.deck.setProps({ initialViewState: given });
  }

  private viewport(): WebMercatorViewport {
    return viewportIn(this.parent, this.viewState);
  }

  /** The map position under a point of the map's container (CSS pixels), if any. */
  unproject(x: number, y: number): [number, number] | undefined {
    const [lon, lat] = this.viewport().unproject([x, y]);
    return lon === undefined || lat === undefined ? undefined : [lon, lat];
  }

  /** Moves the view by this many CSS pixels (keyboard panning); zoomBy steps the zoom. */
  panBy(dx: number, dy: number): void {
    const viewport = this.viewport();
    const [longitude, latitude] = viewport.unproject([viewport.width / 2 + dx, viewport.height / 2 + dy]);
    if (longitude === undefined || latitude === undefined) return;
    this.setView({ ...this.viewState, longitude, latitude }, 0);
  }

  zoomBy(delta: number): void {
    const zoom = Math.min(20, Math.max(1, this.viewState.zoom + delta));
    this.setView({ ...this.viewState, zoom }, 0);
  }

  /** The canvas and view for a snapshot; redrawn first so the drawing buffer is current. */
  snapshotSource(): { canvas: HTMLCanvasElement; latitude: number; zoom: number } | undefined {
    this.deck.redraw('snapshot');
    const canvas = this.deck.getCanvas();
    return canvas ? { canvas, latitude: this.viewState.latitude, zoom: this.viewState.zoom } : undefined;
  }

  destroy(): void {
    this.shown = undefined;
    this.removeListeners();
    this.deck.finalize();
    this.frames.dispose();
  }
}
