import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { startAppServer } from '../scripts/app-server.ts';
import type { FloorResult } from './browser/flow-floor-page.ts';
import { log } from './report.ts';

export type { FloorResult };

const PAGE = 'bench/browser/flow-floor.html';

/** The map's box in the app's page (CSS px), and the scene's size in pixels. */
export interface FloorGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
  sceneWidth: number;
  sceneHeight: number;
}

/**
 * The user flow's floor on this browser and GPU (bench/browser/flow-floor-page.ts): the floor
 * page is built as the app is (vite build, its own folder) and served by the same server; a
 * fresh browser profile loads it (cold), then loads it again (warm), as the flow does the app.
 */
export async function runFlowFloor(
  browser: Browser,
  work: string,
  geometry: FloorGeometry,
): Promise<{ cold: FloorResult; warm: FloorResult }> {
  const root = resolve(import.meta.dirname, '..');
  const distDir = join(work, 'floor');
  log('user flow floor: building the floor page');
  await build({
    root,
    logLevel: 'warn',
    build: { outDir: distDir, emptyOutDir: true, rollupOptions: { input: join(root, PAGE) } },
  });
  const { server, url } = await startAppServer({ distDir, packsDir: join(root, 'packs') });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(300_000);
    const g = geometry;
    const query = `x=${g.x}&y=${g.y}&w=${g.width}&h=${g.height}&sw=${g.sceneWidth}&sh=${g.sceneHeight}`;
    const target = `${url}/${PAGE}?${query}`;
    const pass = async () => {
      await page.goto(target);
      await page.waitForFunction('window.__floor !== undefined');
      return (await page.evaluate('window.__floor')) as FloorResult;
    };
    log('user flow floor: cold pass');
    const cold = await pass();
    log('user flow floor: warm pass');
    const warm = await pass();
    await context.close();
    return { cold, warm };
  } finally {
    await new Promise((done) => server.close(done));
  }
}
