import { launchChromium } from '../tests/e2e/chromium.ts';
import type { MapIdleReply, MapIdleRequest } from './browser/map-idle-page.ts';
import type { MapRedrawReply, MapRedrawRequest } from './browser/map-redraw-page.ts';
import type { Group } from './group.ts';
import { log, median } from './report.ts';
import { startProjectVite } from './vite-server.ts';

const PAGE = '/bench/browser/map-redraw.html';
const MODULE = '/bench/browser/map-redraw-page.ts';
const NAME = 'map_redraw_offline_basemap';
const IDLE_MODULE = '/bench/browser/map-idle-page.ts';
const IDLE_NAME = 'map_idle_frames';

/** Runs `run(request)` of a bench page module in headless Chromium, on the bench page. */
async function runInChromium<Req, Reply>(
  module: string,
  run: string,
  request: Req,
): Promise<{ reply: Reply; chromium: string }> {
  const server = await startProjectVite();
  const browser = await launchChromium();
  try {
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!origin) throw new Error('Vite did not report its URL');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(300_000);
    await page.goto(`${origin}${PAGE}`);
    // A string, not a function: vitest/tsx would rewrite import() inside a function for Node.
    const script = `import(${JSON.stringify(module)}).then((m) => m.${run}(${JSON.stringify(request)}))`;
    return { reply: (await page.evaluate(script)) as Reply, chromium: browser.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * One map redraw of the offline basemap at the app's start-up view (Dolomites, zoom 9) in
 * headless Chromium, whose WebGL is SwiftShader here, as on a machine whose GPU the browser
 * does not use: the country outlines the app draws (1:50m, culled to the view) against the
 * whole 1:50m world it drew before.
 */
export const MAP_GROUPS: Group[] = [
  {
    names: [NAME],
    async run(_selected, s) {
      const request = s.quick ? { frames: 5, warmup: 2 } : { frames: 20, warmup: 3 };
      log(`${NAME}: ${request.frames} redraws per variant in Chromium`);
      const { reply, chromium } = await runInChromium<MapRedrawRequest, MapRedrawReply>(
        MODULE,
        'runMapRedraw',
        request,
      );
      const culled = median(reply.culled.frameMs);
      const whole = median(reply.whole.frameMs);
      return new Map([
        [
          NAME,
          {
            unit: 'ms/frame',
            value: culled,
            baseline: { name: 'whole 1:50m world outlines (before culling)', value: whole, unit: 'ms/frame' },
            ratio: whole / culled,
            ratio_meaning: 'baseline / value (speed-up of one redraw)',
            runs: request.frames,
            notes: `Chromium ${chromium} headless, WebGL renderer ${reply.renderer}; deck.gl GeoJsonLayer as src/lib/layers/basemap.ts builds it, 1280 x 800 canvas, forced redraws each ended by a 1-pixel readPixels; median.`,
            extra: {
              culled_vertices: reply.culled.vertices,
              culled_polygons: reply.culled.polygons,
              whole_vertices: reply.whole.vertices,
              whole_polygons: reply.whole.polygons,
              culled_frame_ms: reply.culled.frameMs.map((v) => v.toFixed(1)).join(','),
              whole_frame_ms: reply.whole.frameMs.map((v) => v.toFixed(1)).join(','),
            },
          },
        ],
      ]);
    },
  },
  {
    names: [IDLE_NAME],
    async run(_selected, s) {
      const request: MapIdleRequest = { watchMs: s.quick ? 3000 : 10_000 };
      log(`${IDLE_NAME}: a still map watched ${request.watchMs} ms per variant in Chromium`);
      const { reply, chromium } = await runInChromium<MapIdleRequest, MapIdleReply>(
        IDLE_MODULE,
        'runMapIdle',
        request,
      );
      const { explorer, plainDeck } = reply;
      return new Map([
        [
          IDLE_NAME,
          {
            unit: 'main-thread ms/s',
            value: explorer.busyMsPerS,
            baseline: {
              name: "a plain deck.gl Deck, its render loop at the display's rate (the app before idle-frames.ts)",
              value: plainDeck.busyMsPerS,
              unit: 'main-thread ms/s',
            },
            ratio: plainDeck.busyMsPerS / explorer.busyMsPerS,
            ratio_meaning: 'baseline / value (main-thread time a still map costs, saved)',
            runs: 1,
            notes: `Chromium ${chromium} headless (WebGL on SwiftShader here), 1280 x 800, offline basemap, nothing moving, watched ${request.watchMs} ms after 2 s to settle: the time spent inside the render loop's animation frames (not the GPU process's).`,
            extra: {
              explorer_frames_per_s: explorer.framesPerS,
              plain_deck_frames_per_s: plainDeck.framesPerS,
            },
          },
        ],
      ]);
    },
  },
];
