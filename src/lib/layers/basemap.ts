import type { Layer } from '@deck.gl/core';
import { type GeoBoundingBox, TileLayer } from '@deck.gl/geo-layers';
import { BitmapLayer, GeoJsonLayer } from '@deck.gl/layers';
import type { FeatureCollection } from 'geojson';

export const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

/** What the basemap shows: raster tiles when they load, country outlines always (offline too). */
export interface BasemapSpec {
  tiles: string | undefined;
  outlines: FeatureCollection | undefined;
}

export function basemapLayers(spec: BasemapSpec): Layer[] {
  const layers: Layer[] = [];
  if (spec.outlines) {
    layers.push(
      new GeoJsonLayer({
        id: 'basemap-outlines',
        data: spec.outlines,
        stroked: true,
        filled: true,
        getFillColor: [38, 48, 64, 255],
        getLineColor: [120, 140, 170, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
      }),
    );
  }
  if (spec.tiles) {
    layers.push(
      new TileLayer({
        id: 'basemap-tiles',
        data: spec.tiles,
        minZoom: 0,
        maxZoom: 19,
        tileSize: 256,
        renderSubLayers: (props) => {
          const { west, south, east, north } = props.tile.bbox as GeoBoundingBox;
          return new BitmapLayer({
            id: `${props.id}-bitmap`,
            image: props.data,
            bounds: [west, south, east, north],
          });
        },
      }),
    );
  }
  return layers;
}
