import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leaseChromium } from './chromium.ts';
import { watchErrors } from './page-helpers.ts';

const appUrl = inject('appUrl');

/**
 * The start-up pack is read by the scene worker, started by the page's small first script
 * (src/early.ts), not by the main script: the main script (megabytes: the map, deck.gl, the UI)
 * is held here until every band file of the pack has been asked for. Before, the read began
 * in main.ts, after that script had loaded and run: held, nothing was read (the test waited
 * out its limit). The main script's own load then adopts the read (tests/scene/early-read.test.ts).
 */
describe.skipIf(!appUrl)('the start-up read begins before the main script has loaded', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await leaseChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reads every band (header and pixels) while the main script is held, then shows the scene', async () => {
    const context = await browser!.newContext();
    await context.addInitScript({ content: "localStorage.setItem('eee.tour', 'off');" });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const tifs: string[] = [];
    let released = false;
    let allAsked: () => void = () => undefined;
    const asked = new Promise<void>((done) => {
      allAsked = done;
    });
    page.on('request', (request) => {
      const name = request.url().split('/').pop() ?? '';
      if (!name.endsWith('.tif')) return;
      if (released) return;
      tifs.push(name);
      // Each band file: its header, then its tiles.
      if (tifs.length === 8) allAsked();
    });
    let heldMs = 0;
    await page.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
      const t0 = Date.now();
      await Promise.race([asked, new Promise((done) => setTimeout(done, 30_000))]);
      heldMs = Date.now() - t0;
      released = true;
      await route.continue();
    });
    await page.goto(`${appUrl}?pack=dolomites-2022-06`);
    await expect.poll(() => page.getByTestId('scene-info').count(), { timeout: 120_000 }).toBe(1);
    expect(await page.getByTestId('scene-info').innerText()).toContain('dolomites-2022-06');
    expect([...tifs].sort()).toEqual([
      'B02.tif',
      'B02.tif',
      'B03.tif',
      'B03.tif',
      'B04.tif',
      'B04.tif',
      'B08.tif',
      'B08.tif',
    ]);
    expect(heldMs).toBeLessThan(30_000);
    expect(errors).toEqual([]);
    await context.close();
  });
});
