import { Deck, MapView } from '@deck.gl/core';
import { basemapLayers, ExplorerMap, loadCountryOutlines } from '../../src/lib/layers/index.ts';

export interface MapIdleRequest {
  /** How long each still map is watched, after it settled (ms). */
  watchMs: number;
}

export interface MapIdleVariant {
  /** Frames the render loop asked of the browser, per second. */
  framesPerS: number;
  /** Main-thread time spent inside those frames' callbacks, milliseconds per second. */
  busyMsPerS: number;
}

export interface MapIdleReply {
  explorer: MapIdleVariant;
  plainDeck: MapIdleVariant;
}

const SETTLE_MS = 2000;

/** Every requestAnimationFrame from now on, counted and timed (the render loop's frames). */
function watchFrames(): { read(): { frames: number; busyMs: number }; reset(): void; stop(): void } {
  const original = window.requestAnimationFrame;
  let frames = 0;
  let busyMs = 0;
  window.requestAnimationFrame = (callback) => {
    frames++;
    return original.call(window, (time) => {
      const start = performance.now();
      try {
        callback(time);
      } finally {
        busyMs += performance.now() - start;
      }
    });
  };
  return {
    read: () => ({ frames, busyMs }),
    reset: () => {
      frames = 0;
      busyMs = 0;
    },
    stop: () => {
      window.requestAnimationFrame = original;
    },
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function watch(
  start: (parent: HTMLDivElement) => () => void,
  request: MapIdleRequest,
): Promise<MapIdleVariant> {
  const parent = document.getElementById('map');
  if (!(parent instanceof HTMLDivElement)) throw new Error('the bench page has no #map');
  const frames = watchFrames();
  const stop = start(parent);
  try {
    await sleep(SETTLE_MS);
    frames.reset();
    await sleep(request.watchMs);
    const { frames: n, busyMs } = frames.read();
    return { framesPerS: (n * 1000) / request.watchMs, busyMsPerS: (busyMs * 1000) / request.watchMs };
  } finally {
    stop();
    frames.stop();
  }
}

/**
 * A still map, watched: the app's ExplorerMap (its render loop's frames from IdleFrames) against
 * a plain deck.gl Deck with the same offline basemap (the loop at the display's rate, as the
 * app had it). Nothing moves in either; the frames and the main-thread time they take are what
 * a still map costs.
 */
export async function runMapIdle(request: MapIdleRequest): Promise<MapIdleReply> {
  const outlines = await loadCountryOutlines();
  const explorer = await watch((parent) => {
    const map = new ExplorerMap(parent, { onClick: () => {}, onDraw: () => {} });
    map.setBasemap(undefined, outlines);
    return () => map.destroy();
  }, request);
  const plainDeck = await watch((parent) => {
    const deck = new Deck<MapView>({
      parent,
      views: new MapView({ repeat: false }),
      initialViewState: { longitude: 12.14, latitude: 46.54, zoom: 9, pitch: 0, bearing: 0 },
      controller: true,
      layers: basemapLayers({ tiles: undefined, outlines: outlines.coarse }),
    });
    return () => deck.finalize();
  }, request);
  return { explorer, plainDeck };
}
