import type { Browser, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { MAP_DRAWN_EVENT } from '../../src/lib/layers/index.ts';
import { changedFraction, openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/**
 * Counts the page's requestAnimationFrame calls (deck.gl's render loop asks one per frame) and
 * the frames the map drew.
 */
const COUNT_FRAMES = `
window.__frames = 0;
window.__drawn = 0;
const request = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback) => { window.__frames++; return request(callback); };
window.addEventListener('${MAP_DRAWN_EVENT}', () => window.__drawn++, true);
`;

type Counted = { frames: number; drawn: number };

async function framesIn(page: Page, ms: number, during?: () => Promise<void>): Promise<Counted> {
  await page.evaluate(() => {
    Object.assign(window, { __frames: 0, __drawn: 0 });
  });
  const started = Date.now();
  await during?.();
  await page.waitForTimeout(Math.max(0, ms - (Date.now() - started)));
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number; __drawn: number };
    return { frames: w.__frames, drawn: w.__drawn };
  });
}

/**
 * deck.gl's render loop asked for a frame at the display's rate for as long as the page was
 * open, drawn or not: 8% of a core in Chromium's renderer with a still map (SwiftShader), a
 * laptop's or phone's battery in a workshop. Now a still map is looked at 4 times a second.
 */
describe.skipIf(!appUrl)('a still map costs no frames; a moving one gets them all', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  openAppForSuite(appUrl, (app) => ({ browser, page, errors } = app), { initScripts: [COUNT_FRAMES] });

  it('idle: a few looks a second, not 60; a drag pans at once at the display rate', async () => {
    expect(browser.isConnected()).toBe(true);
    // Start-up draws for a while (the scene, its stand-ins): a still map is 3 s with no frame drawn.
    let idle = await framesIn(page, 3000);
    for (let i = 0; i < 10 && idle.drawn > 0; i++) idle = await framesIn(page, 3000);
    expect(idle.drawn).toBe(0);
    // 3 s at one look per 250 ms is 12; before, ~180 (60 a second).
    expect(idle.frames).toBeLessThanOrEqual(20);

    const map = page.getByTestId('map');
    const before = await snapshot(map, artifacts, 'idle-before-drag');
    const box = (await map.boundingBox())!;
    const drag = async () => {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) {
        await page.mouse.move(box.x + box.width * (0.5 - 0.02 * i), box.y + box.height * 0.5);
      }
      await page.mouse.up();
    };
    const moving = await framesIn(page, 1000, drag);
    // The drag and the second after it run at the display's rate, as fast as frames are drawn
    // (SwiftShader on a busy 2-core machine: 20-60 a second), not at the idle 4.
    expect(moving.frames).toBeGreaterThan(12);
    expect(moving.drawn).toBeGreaterThan(0);
    const after = await snapshot(map, artifacts, 'idle-after-drag');
    expect(changedFraction(before, after)).toBeGreaterThan(0.2);
    expect(errors).toEqual([]);
  });
});
