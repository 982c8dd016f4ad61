import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { startAppServer } from '../scripts/app-server.ts';
import { launchChromium } from '../tests/e2e/chromium.ts';
import { FLOW_PROBE_SCRIPT } from './browser/flow-probe.ts';

/**
 * Where the click's and the slider's main-thread time goes, function by function: the
 * user-flow bench's page (the built app on the Dolomites pack, Compute, a click at the map's
 * centre), with a Chrome DevTools CPU profile around the click and around a few slider moves.
 * Not a bench entry (a profile slows what it watches): a tool for finding the next cost.
 *
 *   npx tsx bench/user-flow-profile.ts [--dist /tmp/eee-profile-dist] [--rebuild] [--moves 10]
 *
 * Prints the top functions by self time and writes the profiles (.cpuprofile, DevTools loads
 * them) next to the build.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function args(): { dist: string; rebuild: boolean; moves: number } {
  const argv = process.argv.slice(2);
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    dist: at('--dist') ?? '/tmp/eee-profile-dist',
    rebuild: argv.includes('--rebuild'),
    moves: Number(at('--moves') ?? 10),
  };
}

function summarise(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const f = node.callFrame;
    const file = f.url.split('/').at(-1) ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const lines = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${k}`);
  return [`total sampled ${total.toFixed(0)} ms`, ...lines].join('\n');
}

async function profiled<T>(cdp: CDPSession, name: string, dir: string, work: () => Promise<T>): Promise<T> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await work();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  console.log(`\n== ${name}\n${summarise(profile)}`);
  return result;
}

async function frameAfter(page: Page, after: number): Promise<number> {
  return (await page.evaluate(`new Promise((resolve) => {
    const check = () => {
      const t = window.__eeeProbe.draws.find((d) => d > ${after});
      if (t === undefined) return void requestAnimationFrame(check);
      resolve(t);
    };
    check();
  })`)) as number;
}

async function sweep(page: Page, moves: number): Promise<number[]> {
  return (await page.evaluate(`(async () => {
        const probe = window.__eeeProbe;
        const input = document.querySelector('[data-testid="threshold"]');
        const min = Number(input.min), max = Number(input.max);
        const out = [];
        for (let i = 0; i < ${moves}; i++) {
          const f = 0.1 + 0.8 * Math.abs(((i * 2) / ${moves}) % 2 - 1) + 0.0001 * i;
          const t0 = performance.now();
          input.value = String(min + (max - min) * f);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          const t = await new Promise((resolve) => {
            const check = () => {
              const d = probe.draws.find((x) => x > t0);
              if (d === undefined) return void requestAnimationFrame(check);
              resolve(d);
            };
            check();
          });
          out.push(+(t - t0).toFixed(1));
          await new Promise((r) => requestAnimationFrame(() => r()));
        }
        return out;
  })()`)) as number[];
}

/** Forced redraws of the map as it is (MAP_REDRAW_EVENT), each read back: ms per frame. */
async function redraws(page: Page, n: number): Promise<number[]> {
  return (await page.evaluate(`(() => {
    const map = document.querySelector('[data-testid="map"]');
    const gl = map.querySelector('canvas').getContext('webgl2');
    const px = new Uint8Array(4);
    const out = [];
    for (let i = 0; i < ${n}; i++) {
      const t0 = performance.now();
      map.dispatchEvent(new Event('eee-map-redraw'));
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      out.push(+(performance.now() - t0).toFixed(1));
    }
    return out;
  })()`)) as number[];
}

async function main(): Promise<void> {
  const { dist, rebuild, moves } = args();
  const root = resolve(import.meta.dirname, '..');
  if (rebuild || !existsSync(join(dist, 'index.html'))) {
    console.log(`building into ${dist}`);
    await build({ root, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  }
  const { server, url } = await startAppServer({ distDir: dist, packsDir: join(root, 'packs') });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript({ content: "localStorage.setItem('eee.tour', 'off');" });
    await context.addInitScript({ content: FLOW_PROBE_SCRIPT });
    const page = await context.newPage();
    page.setDefaultTimeout(300_000);
    await page.goto(url);
    await page.getByTestId('scene-info').waitFor();
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor();
    // Let the start-up frames and shader compiles settle.
    await page.waitForTimeout(3000);
    await page.evaluate('window.__eeeProbe.sync = true');
    const cdp = await context.newCDPSession(page);
    const box = await page.getByTestId('map').boundingBox();
    if (!box) throw new Error('the map has no box');
    for (const [i, dx] of [0, 40].entries()) {
      const clickMs = await profiled(cdp, `click-${i}`, dist, async () => {
        const before = (await page.evaluate('performance.now()')) as number;
        await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2);
        await page.evaluate(`new Promise((resolve) => {
          const check = () => {
            const m = performance.getEntriesByName('eee:analysis', 'measure').at(-1);
            if (m && m.startTime > ${before}) resolve();
            else setTimeout(check, 5);
          };
          check();
        })`);
        const answered = (await page.evaluate(
          "(() => { const m = performance.getEntriesByName('eee:analysis', 'measure').at(-1); return m.startTime + m.duration; })()",
        )) as number;
        const drawn = await frameAfter(page, answered);
        const clicks = (await page.evaluate('window.__eeeProbe.clicks')) as [string, number][];
        const clicked = clicks.findLast(([id]) => id === 'map')?.[1] ?? Number.NaN;
        const stages = await page.evaluate(`Object.fromEntries(performance.getEntriesByType('measure')
          .filter((m) => m.name.startsWith('eee:') && m.startTime >= ${clicked - 1})
          .map((m) => [m.name, [+(m.startTime - ${clicked}).toFixed(1), +m.duration.toFixed(1)]]))`);
        const draw = (await page.evaluate(
          "(() => { const m = performance.getEntriesByName('eee:draw', 'measure').at(-1); return m.startTime + m.duration; })()",
        )) as number;
        console.log(
          `stages [start after click, duration] ms: ${JSON.stringify(stages)}; frame issued -> finished (GPU) ${(drawn - draw).toFixed(1)} ms`,
        );
        return drawn - clicked;
      });
      console.log(`click ${i} -> heat map frame: ${clickMs.toFixed(1)} ms`);
      await page.waitForTimeout(1500);
    }
    const latencies = await profiled(cdp, 'slider', dist, () => sweep(page, moves));
    console.log(`slider -> frame (read back), ms: ${latencies.join(', ')}`);
    console.log(`redraw, nothing changed (read back), ms: ${(await redraws(page, 8)).join(', ')}`);
    for (const id of ['imagery', 'similarity']) {
      await page.getByTestId(`layer-${id}`).locator('input[type=checkbox]').uncheck();
      await page.waitForTimeout(500);
      console.log(`redraw without ${id}, ms: ${(await redraws(page, 5)).join(', ')}`);
      await page.getByTestId(`layer-${id}`).locator('input[type=checkbox]').check();
      await page.waitForTimeout(500);
    }
    await page.evaluate('window.__eeeProbe.sync = false');
    const from = (await page.evaluate('performance.now()')) as number;
    const issued = await profiled(cdp, 'slider-no-readback', dist, () => sweep(page, moves));
    const long = (await page.evaluate(
      `window.__eeeProbe.longTasks.filter(([s]) => s >= ${from}).map(([s, d]) => [+(s - ${from}).toFixed(0), +d.toFixed(0)])`,
    )) as [number, number][];
    console.log(
      `slider -> frame issued, ms: ${issued.join(', ')}; long tasks [start, ms]: ${JSON.stringify(long)}`,
    );
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
  }
}

await main();
