import {
  type Corners,
  ExplorerMap,
  loadCountryOutlines,
  MAP_DRAWN_EVENT,
  type MapContent,
  type RasterOverlay,
} from '../../src/lib/layers/index.ts';

/**
 * The renderer's floor under the user flow (bench/user-flow-floor.ts): the app's own map code
 * (ExplorerMap, its basemap, imagery and score layers) shows a scene of the demo's size and
 * then its heat map, with every pixel already in the page: no read, no encoder, no analysis,
 * no UI. What it takes on this browser and GPU, no app built the same way can go below.
 * The query string gives the map's box (the app's, measured) and the scene's size.
 */
export interface FloorResult {
  /** Navigation start to the first frame issued with the imagery (as the flow's scene_shown). */
  shownMs: number;
  /**
   * Scores handed to the map right after the imagery's frame, to their frame finished (read
   * back): the score layer's pipeline and texture included, which the app builds between the
   * scene and the click.
   */
  heatMs: number;
  /** The module's own start: navigation to the map's constructor (script load and parse). */
  scriptMs: number;
  /** Navigation start to the frame issued with the basemap (country outlines), before the imagery. */
  basemapMs: number;
}

declare global {
  interface Window {
    __floor?: Promise<FloorResult>;
  }
}

const query = new URLSearchParams(location.search);
const num = (name: string) => Number(query.get(name));

/** A frame drawn after now: resolves with its time (ms since navigation), read back when asked. */
function nextFrame(parent: HTMLElement, readBack: boolean): Promise<number> {
  return new Promise((resolve) => {
    parent.addEventListener(
      MAP_DRAWN_EVENT,
      () => {
        if (readBack) {
          const gl = parent.querySelector('canvas')?.getContext('webgl2');
          gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
        }
        resolve(performance.now());
      },
      { once: true },
    );
  });
}

/** Imagery with structure (not one colour): a gradient with a few bands. */
function imagery(width: number, height: number): ImageData {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = ((x ^ y) & 63) * 4;
      data[i + 3] = 255;
    }
  return new ImageData(data, width, height);
}

async function run(): Promise<FloorResult> {
  const scriptMs = performance.now();
  const parent = document.getElementById('map') as HTMLDivElement;
  Object.assign(parent.style, {
    left: `${num('x')}px`,
    top: `${num('y')}px`,
    width: `${num('w')}px`,
    height: `${num('h')}px`,
  });
  const map = new ExplorerMap(parent, { onClick: () => undefined, onDraw: () => undefined });
  const width = num('sw');
  const height = num('sh');
  // The Dolomites demo's extent (about 10.6 x 9.3 km at 10 m).
  const [w, s, e, n] = [12.08, 46.5, 12.218, 46.584];
  const corners: Corners = [
    [w, n],
    [e, n],
    [e, s],
    [w, s],
  ];
  const image: RasterOverlay = {
    kind: 'image',
    id: 'imagery',
    corners,
    visible: true,
    opacity: 1,
    image: imagery(width, height),
  };
  map.fitCorners(corners);
  // The basemap first, as the app has it drawn while the scene is read; then the imagery.
  const outlines = await loadCountryOutlines();
  const basemap = nextFrame(parent, false);
  map.setBasemap(undefined, outlines);
  const basemapMs = await basemap;
  const shown = nextFrame(parent, false);
  map.setContent({ rasters: [image], markers: [] });
  const shownMs = await shown;
  // At once the heat map: every pipeline it needs is built in its frame, which is read back.
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 0.001);
  const content: MapContent = {
    rasters: [
      image,
      {
        kind: 'score',
        id: 'similarity',
        corners,
        visible: true,
        opacity: 0.85,
        values,
        width,
        height,
        threshold: 0.2,
        max: 1,
      },
    ],
    markers: [{ lon: (w + e) / 2, lat: (s + n) / 2, kind: 'query' }],
  };
  const start = performance.now();
  const heat = nextFrame(parent, true);
  map.setContent(content);
  const heatMs = (await heat) - start;
  return { shownMs, heatMs, scriptMs, basemapMs };
}

window.__floor = run();
