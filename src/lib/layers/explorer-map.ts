import {
  Deck,
  FlyToInterpolator,
  type Layer,
  MapView,
  type MapViewState,
  type PickingInfo,
  WebMercatorViewport,
} from '@deck.gl/core';
import { BitmapLayer, ScatterplotLayer } from '@deck.gl/layers';
import { type BasemapSpec, basemapLayers } from './basemap.ts';
import type { Corners, MapContent, Marker } from './layer-specs.ts';

export interface MapHandlers {
  onClick(lon: number, lat: number, modifiers: { shift: boolean; alt: boolean }): void;
}

/** Query red, extra positives orange, negatives blue, results white. */
const MARKER_COLOURS: Record<Marker['kind'], [number, number, number, number]> = {
  query: [255, 64, 64, 255],
  positive: [255, 160, 40, 255],
  negative: [60, 140, 255, 255],
  result: [255, 255, 255, 230],
};

const START_VIEW: MapViewState = { longitude: 12.14, latitude: 46.54, zoom: 9, pitch: 0, bearing: 0 };

/**
 * The deck.gl map: one Deck on one canvas, created in the constructor and finalised in
 * destroy(). The UI hands it plain data (MapContent); only this folder knows deck.gl.
 */
export class ExplorerMap {
  private readonly deck: Deck<MapView>;
  private viewState: MapViewState = START_VIEW;
  private basemap: Layer[] = [];
  private content: Layer[] = [];

  constructor(
    private readonly parent: HTMLDivElement,
    handlers: MapHandlers,
  ) {
    this.deck = new Deck<MapView>({
      parent,
      views: new MapView({ repeat: false }),
      initialViewState: START_VIEW,
      controller: { doubleClickZoom: false },
      onViewStateChange: ({ viewState }) => {
        this.viewState = viewState as MapViewState;
      },
      onClick: (info: PickingInfo, event) => {
        const [lon, lat] = info.coordinate ?? [];
        const src = event.srcEvent as MouseEvent | undefined;
        if (lon !== undefined && lat !== undefined)
          handlers.onClick(lon, lat, { shift: src?.shiftKey ?? false, alt: src?.altKey ?? false });
      },
      getCursor: ({ isDragging }) => (isDragging ? 'grabbing' : 'crosshair'),
      // Keeps the drawing buffer readable for snapshots and pixel checks.
      deviceProps: { type: 'webgl', webgl: { preserveDrawingBuffer: true } },
    });
  }

  setContent(content: MapContent): void {
    const layers: Layer[] = content.rasters.map(
      (r) =>
        new BitmapLayer({
          id: r.id,
          image: r.image,
          // deck.gl wants [bottom-left, top-left, top-right, bottom-right].
          bounds: [r.corners[3], r.corners[0], r.corners[1], r.corners[2]],
          visible: r.visible,
          opacity: r.opacity,
          pickable: false,
          textureParameters: { minFilter: 'nearest', magFilter: 'nearest' },
        }),
    );
    layers.push(
      new ScatterplotLayer<Marker>({
        id: 'markers',
        data: content.markers,
        getPosition: (m) => [m.lon, m.lat],
        getFillColor: (m) => MARKER_COLOURS[m.kind],
        getLineColor: [20, 20, 20, 255],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        radiusUnits: 'pixels',
        getRadius: (m) => (m.kind === 'result' ? 5 : 7),
      }),
    );
    this.content = layers;
    this.deck.setProps({ layers: [...this.basemap, ...this.content] });
  }

  setBasemap(spec: BasemapSpec): void {
    this.basemap = basemapLayers(spec);
    this.deck.setProps({ layers: [...this.basemap, ...this.content] });
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
    this.deck.setProps({
      initialViewState:
        durationMs > 0
          ? { ...view, transitionDuration: durationMs, transitionInterpolator: new FlyToInterpolator() }
          : view,
    });
  }

  /** The canvas and view for a snapshot; redrawn first so the drawing buffer is current. */
  snapshotSource(): { canvas: HTMLCanvasElement; latitude: number; zoom: number } | undefined {
    this.deck.redraw('snapshot');
    const canvas = this.deck.getCanvas();
    return canvas ? { canvas, latitude: this.viewState.latitude, zoom: this.viewState.zoom } : undefined;
  }

  destroy(): void {
    this.deck.finalize();
  }
}
