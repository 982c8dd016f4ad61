import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { startAppServer } from '../scripts/app-server.ts';
import { launchChromium } from '../tests/e2e/chromium.ts';
import { FLOW_PROBE_SCRIPT, type FlowProbe, type StageTiming } from './browser/flow-probe.ts';
import { log } from './report.ts';
import { type FloorResult, runFlowFloor } from './user-flow-floor.ts';

/** One pass of page load -> scene -> embeddings -> click -> heat map, in ms since navigation. */
export interface FlowPass {
  /** Navigation start to the first frame issued with the scene's imagery. */
  sceneShownMs: number;
  /** The Compute click to the embeddings in the analysis worker. */
  computeMs: number;
  /** The map click to the finished frame with the heat map. */
  clickToHeatMs: number;
  /** Main-thread long tasks (> 50 ms) between the Compute click and the embeddings ready. */
  encodeLongTasksMs: number[];
  /** Each stage's latest `eee:<stage>` measure (src/lib/perf/stages.ts). */
  stages: Record<string, StageTiming>;
  /** Navigation timing: DOMContentLoaded and load ends, and when the scene read began. */
  domContentLoadedMs: number;
  loadEventMs: number;
  sceneStartMs: number;
  /** The map click to the analysis worker's call (deck.gl's click handling, the query's set-up). */
  clickToQueryMs: number;
  /** The analysis answer to the start of the frame that shows it (Svelte, heat image, layers). */
  heatPrepMs: number;
  /** The frame with the heat map: issued (eee:draw ends) to finished (read back): the GPU's share, upload included. */
  heatGpuMs: number;
  /** Forced redraws of the map with the heat map on it, nothing changed, read back (the frame floor). */
  redrawMs: number[];
}

export interface SliderPass {
  /** Threshold input event to the finished frame, per move (frames read back). */
  latenciesMs: number[];
  /**
   * After each move, one forced redraw of the same map with nothing changed (MAP_REDRAW_EVENT),
   * read back: this map's frame on this GPU, the floor a move's frame cannot go below.
   */
  redrawMs: number[];
  /** Input event to the frame issued (no read-back): the main thread's share. */
  issuedMs: number[];
  /** Main-thread long tasks of the sweep without read-back (a read-back blocks on the GPU). */
  longTasksMs: number[];
}

export interface FlowReply {
  cold: FlowPass;
  warm: FlowPass;
  slider: SliderPass;
  scenePixels: number;
  /** The renderer's floor under the same flow (bench/user-flow-floor.ts). */
  floor: { cold: FloorResult; warm: FloorResult };
}

const PACK = 'dolomites-2022-06';

const READ_STAGES = `Object.fromEntries(performance.getEntriesByType('measure')
  .filter((m) => m.name.startsWith('eee:'))
  .map((m) => [m.name.slice(4), { start: m.startTime, duration: m.duration }]))`;

async function probe(page: Page): Promise<FlowProbe> {
  return (await page.evaluate('window.__eeeProbe')) as FlowProbe;
}

async function stages(page: Page): Promise<Record<string, StageTiming>> {
  return (await page.evaluate(READ_STAGES)) as Record<string, StageTiming>;
}

function end(s: StageTiming | undefined, what: string): number {
  if (!s) throw new Error(`the page recorded no ${what} stage`);
  return s.start + s.duration;
}

/** Waits in the page for a finished frame after `after` (ms since navigation); returns its time. */
async function frameAfter(page: Page, after: number): Promise<number> {
  const script = `new Promise((resolve, reject) => {
    const probe = window.__eeeProbe;
    const give = setTimeout(() => reject(new Error('no map frame after ${after}')), 60000);
    const check = () => {
      const t = probe.draws.find((d) => d > ${after});
      if (t === undefined) return void requestAnimationFrame(check);
      clearTimeout(give);
      resolve(t);
    };
    check();
  })`;
  return (await page.evaluate(script)) as number;
}

/** Page load (already navigated) -> scene -> Compute -> click the map's centre -> heat map. */
async function onePass(page: Page): Promise<FlowPass> {
  await page.getByTestId('scene-info').waitFor();
  let s = await stages(page);
  const sceneShownMs = await frameAfter(page, end(s.composite, 'composite'));
  const navigation = (await page.evaluate(
    "(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? [n.domContentLoadedEventEnd, n.loadEventEnd] : [0, 0]; })()",
  )) as [number, number];
  await page.getByTestId('compute').click();
  await page.getByTestId('embeddings-ready').waitFor();
  s = await stages(page);
  let p = await probe(page);
  const computeClick = p.clicks.findLast(([id]) => id === 'compute')?.[1];
  if (computeClick === undefined) throw new Error('the Compute click was not seen');
  const ready = end(s.grid, 'grid');
  const encodeLongTasksMs = p.longTasks
    .filter(([start]) => start >= computeClick && start <= ready)
    .map(([, d]) => d);
  // Frames are read back from here on (not while encoding: a read-back blocks the main thread
  // on the GPU and would count as the app's long task).
  await page.evaluate('window.__eeeProbe.sync = true');
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map has no box');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.getByTestId('place').first().waitFor();
  p = await probe(page);
  const mapClick = p.clicks.findLast(([id]) => id === 'map')?.[1];
  if (mapClick === undefined) throw new Error('the map click was not seen');
  s = await stages(page);
  const answered = end(s.analysis, 'analysis');
  const heatDrawn = await frameAfter(page, answered);
  s = await stages(page);
  const draw = s.draw;
  const redrawMs = await redraws(page, 3);
  return {
    heatGpuMs: draw && draw.start >= answered ? heatDrawn - (draw.start + draw.duration) : Number.NaN,
    redrawMs,
    sceneShownMs,
    computeMs: ready - computeClick,
    clickToHeatMs: heatDrawn - mapClick,
    clickToQueryMs: (s.analysis?.start ?? Number.NaN) - mapClick,
    encodeLongTasksMs,
    stages: s,
    domContentLoadedMs: navigation[0],
    loadEventMs: navigation[1],
    // The start-up read (posted before the map exists) when there was one, else the load's.
    sceneStartMs: s['scene-read']?.start ?? s.scene?.start ?? Number.NaN,
    heatPrepMs: draw && draw.start >= answered ? draw.start - answered : Number.NaN,
  };
}

/**
 * Threshold slider moves, each timed from its input event to the next frame: one sweep with
 * frames read back (finished frames, GPU included), then one without (frames issued, and the
 * main thread's long tasks, which a read-back would inflate by blocking on the GPU).
 */
async function sliderPass(page: Page, moves: number): Promise<SliderPass> {
  const synced = await sliderSweep(page, moves, true);
  const issued = await sliderSweep(page, moves, false);
  return {
    latenciesMs: synced.latenciesMs,
    redrawMs: synced.redrawMs,
    issuedMs: issued.latenciesMs,
    longTasksMs: issued.longTasksMs,
  };
}

/** The page-side forced redraw, read back; `n` of them, ms each (MAP_REDRAW_EVENT). */
const REDRAW_SCRIPT = `((n) => {
  const map = document.querySelector('[data-testid="map"]');
  const canvas = map && map.querySelector('canvas');
  const gl = canvas && canvas.getContext('webgl2');
  if (!gl) throw new Error('the map has no WebGL2 canvas');
  const px = new Uint8Array(4);
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    map.dispatchEvent(new Event('eee-map-redraw'));
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    out.push(performance.now() - t0);
  }
  return out;
})`;

/** Forced redraws of the map as it stands (nothing changed), each read back: ms per frame. */
async function redraws(page: Page, n: number): Promise<number[]> {
  return (await page.evaluate(`${REDRAW_SCRIPT}(${n})`)) as number[];
}

async function sliderSweep(
  page: Page,
  moves: number,
  sync: boolean,
): Promise<{ latenciesMs: number[]; redrawMs: number[]; longTasksMs: number[] }> {
  const script = `(async () => {
    const redraw = ${REDRAW_SCRIPT};
    const probe = window.__eeeProbe;
    probe.sync = ${sync};
    const input = document.querySelector('[data-testid="threshold"]');
    if (!input) throw new Error('no threshold slider');
    const min = Number(input.min);
    const max = Number(input.max);
    const latenciesMs = [];
    const redrawMs = [];
    const from = performance.now();
    for (let i = 0; i < ${moves}; i++) {
      // Sweeps down and up between 10% and 90% of the range: every move changes the image.
      const f = 0.1 + 0.8 * Math.abs(((i * 2) / ${moves}) % 2 - 1) + 0.0001 * i;
      const t0 = performance.now();
      input.value = String(min + (max - min) * f);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const t = await new Promise((resolve, reject) => {
        const give = setTimeout(() => reject(new Error('no frame after a slider move')), 60000);
        const check = () => {
          const d = probe.draws.find((x) => x > t0);
          if (d === undefined) return void requestAnimationFrame(check);
          clearTimeout(give);
          resolve(d);
        };
        check();
      });
      latenciesMs.push(t - t0);
      await new Promise((r) => requestAnimationFrame(() => r()));
      // Interleaved, so the machine's load weighs on the move and its floor alike.
      if (${sync}) redrawMs.push(...redraw(1));
    }
    const to = performance.now();
    const longTasksMs = probe.longTasks.filter(([s]) => s >= from && s <= to).map(([, d]) => d);
    return { latenciesMs, redrawMs, longTasksMs };
  })()`;
  return (await page.evaluate(script)) as {
    latenciesMs: number[];
    redrawMs: number[];
    longTasksMs: number[];
  };
}

/**
 * Builds the app (vite build into a temporary folder), serves it with the project's own server
 * over the worktree's packs/ (the Dolomites demo pack: 1059 x 934 px, 4 bands), and drives
 * Debian's Chromium through the flow a new user takes: cold (a fresh browser profile), then
 * warm (the app opened again in the same profile: tiles and embeddings in the browser's cache), then the threshold slider.
 */
export async function runUserFlow(sliderMoves: number): Promise<FlowReply & { chromium: string }> {
  const root = resolve(import.meta.dirname, '..');
  const packsDir = join(root, 'packs');
  if (!existsSync(join(packsDir, PACK, 'catalog.json')))
    throw new Error(`packs/${PACK} is missing: run npm run pack:demo first`);
  const work = mkdtempSync(join(tmpdir(), 'eee-bench-flow-'));
  try {
    log('user flow: building the app');
    await build({ root, logLevel: 'warn', build: { outDir: join(work, 'dist'), emptyOutDir: true } });
    const { server, url } = await startAppServer({ distDir: join(work, 'dist'), packsDir });
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript({ content: "localStorage.setItem('eee.tour', 'off');" });
      await context.addInitScript({ content: FLOW_PROBE_SCRIPT });
      const page = await context.newPage();
      page.setDefaultTimeout(300_000);
      log('user flow: cold pass');
      await page.goto(url);
      const cold = await onePass(page);
      log('user flow: warm pass (same profile, navigating again)');
      await page.goto(url);
      const warm = await onePass(page);
      log(`user flow: ${sliderMoves} slider moves`);
      const slider = await sliderPass(page, sliderMoves);
      const info = await page.getByTestId('scene-info').innerText();
      const [, w, h] = /(\d+) × (\d+) px/.exec(info) ?? [];
      const box = await page.getByTestId('map').boundingBox();
      if (!box) throw new Error('the map has no box');
      await context.close();
      const floor = await runFlowFloor(browser, work, {
        ...box,
        sceneWidth: Number(w),
        sceneHeight: Number(h),
      });
      return { cold, warm, slider, floor, scenePixels: Number(w) * Number(h), chromium: browser.version() };
    } finally {
      await browser.close();
      await new Promise((done) => server.close(done));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
