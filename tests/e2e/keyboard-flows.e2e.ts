import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leaseChromium } from './chromium.ts';
import { watchErrors } from './page-helpers.ts';
import { axeViolations, boxOf, focused, inside, tabTo } from './ui-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/** The Dolomites pack at 40 m (about 62,000 pixels): the flows, not the encoder, are tested. */
const PACK_LINK = '?pack=dolomites-2022-06&res_m=40';

/** The keyboard cursor's centre in the map's own pixels. */
async function cursorAt(page: Page): Promise<{ x: number; y: number }> {
  const cursor = page.getByTestId('map-cursor');
  const box = await boxOf(cursor);
  const map = await boxOf(page.getByTestId('map'));
  return { x: box.x + box.width / 2 - map.x, y: box.y + box.height / 2 - map.y };
}

/** The query's pixel as the similarity panel states it. */
async function queryPixel(page: Page): Promise<{ col: number; row: number }> {
  const q = page.getByTestId('query');
  return { col: Number(await q.getAttribute('data-col')), row: Number(await q.getAttribute('data-row')) };
}

describe.skipIf(!appUrl)(
  'keyboard only, in Chromium: map cursor, query, few-shot, cluster, export, help, tour',
  () => {
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      browser = await leaseChromium();
      // bypassCSP: axe-core is injected once (the app's CSP rightly refuses scripts).
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      await context.addInitScript(() => localStorage.setItem('eee.tour', 'off'));
      page = await context.newPage();
      page.setDefaultTimeout(120_000);
      errors = watchErrors(page);
      await page.goto(new URL(PACK_LINK, appUrl).href);
      await page.getByTestId('scene-info').waitFor();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('`?` opens the help while a select or a radio has the focus, but not while typing a number', async () => {
      const help = page.getByTestId('help');
      await page.getByTestId('pack-select').focus();
      await page.keyboard.press('?');
      await help.waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => help.count()).toBe(0);
      // Focus goes back where it was, so the user carries on.
      expect(await focused(page)).toBe('pack-select');

      await page.getByLabel('Offline pack').focus();
      await page.keyboard.press('?');
      await help.waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => help.count()).toBe(0);

      // In a typed field `?` is a character, not a shortcut.
      await tabTo(page, 'compute');
      await page.keyboard.press('Enter');
      await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
      await tabTo(page, 'k');
      await page.keyboard.press('?');
      expect(await help.count()).toBe(0);
    });

    it('the tour takes the focus when it opens; Esc closes it and gives the focus back', async () => {
      await tabTo(page, 'compute');
      await page.keyboard.press('t');
      const tour = page.getByTestId('tour');
      await tour.waitFor();
      expect(await tour.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      // Tab stays usable inside it: Next is reachable and works.
      await tabTo(page, 'tour-next', 10);
      await page.keyboard.press('Enter');
      expect(await tour.getByRole('heading').innerText()).toMatch(/^2\./);
      await page.keyboard.press('Escape');
      await expect.poll(() => tour.count()).toBe(0);
      expect(await focused(page)).toBe('compute');
    });

    it('with the map focused, a visible cursor moves with the arrows (Shift: faster); Enter and Space query there', async () => {
      await page.keyboard.press('m');
      expect(await focused(page)).toBe('map');
      // The map is one tab stop: deck.gl's canvas inside it is not another (it was, unlabelled).
      expect(
        await page
          .getByTestId('map')
          .locator('canvas')
          .evaluate((c) => c.tabIndex),
      ).toBe(-1);
      const cursor = page.getByTestId('map-cursor');
      await cursor.waitFor();
      expect(inside(await boxOf(cursor), await boxOf(page.getByTestId('map')))).toBe(true);
      await page.screenshot({ path: join(artifacts, 'keyboard-cursor.png') });
      // The focused map with its cursor showing: still no axe-core violation at all.
      const violations = await axeViolations(page);
      expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);

      const start = await cursorAt(page);
      await page.keyboard.press('ArrowRight');
      const step = (await cursorAt(page)).x - start.x;
      expect(step).toBeGreaterThan(0);
      await page.keyboard.press('Shift+ArrowRight');
      const fast = (await cursorAt(page)).x - start.x - step;
      expect(fast).toBeGreaterThan(step * 3);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Shift+ArrowLeft');
      expect(await cursorAt(page)).toEqual(start);

      await page.keyboard.press('Enter');
      await page.getByTestId('top-places').waitFor();
      const first = await queryPixel(page);
      expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');

      // Farther right, Space queries again: the new query lies right of the first.
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press(' ');
      await expect.poll(async () => (await queryPixel(page)).col).toBeGreaterThan(first.col);
      // The UTM grid is turned a little against the screen: a move right may cross a row or two.
      expect(Math.abs((await queryPixel(page)).row - first.row)).toBeLessThanOrEqual(3);
      expect(await focused(page)).toBe('map');
    });

    it('few-shot at the cursor: Shift+Enter adds a place like the query, Alt+Enter one unlike it', async () => {
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+Enter');
      await expect.poll(() => page.getByTestId('picks').innerText()).toContain('2 place(s) like, 0 unlike');
      await page.keyboard.press('Shift+ArrowUp');
      await page.keyboard.press('Shift+ArrowUp');
      await page.keyboard.press('Alt+Enter');
      await expect.poll(() => page.getByTestId('picks').innerText()).toContain('2 place(s) like, 1 unlike');
      // Esc on the map clears the query, as everywhere else.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('similarity-panel').count()).toBe(0);
    });

    it('clusters and exports with the keyboard alone', async () => {
      await tabTo(page, 'k');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('4');
      await tabTo(page, 'cluster', 10);
      await page.keyboard.press('Enter');
      const legend = page.getByTestId('cluster-legend').locator('li');
      await expect.poll(() => legend.count(), { timeout: 120_000 }).toBe(4);

      await tabTo(page, 'export-clusters-geotiff');
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const file = join(artifacts, 'keyboard-clusters.tif');
      await download.saveAs(file);
      expect(statSync(file).size).toBeGreaterThan(1000);
      expect(download.suggestedFilename()).toMatch(/\.tif$/);
      expect(browser.isConnected()).toBe(true);
    });

    it('logged no console errors', () => {
      expect(errors).toEqual([]);
    });
  },
);
