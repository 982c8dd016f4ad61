import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { changedFraction, openApp, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)(
  'few-shot queries, PCA colours, the scene list and the cloud mask in Chromium',
  () => {
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      browser = await launchChromium();
      ({ page, errors } = await openApp(browser, appUrl));
      await page.getByTestId('compute').click();
      await page.getByTestId('embeddings-ready').waitFor();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('shift-click adds a positive, alt-click a negative; the ranking changes; Esc clears', async () => {
      const box = (await page.getByTestId('map').boundingBox())!;
      const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
      // A press held while the page is busy (a frame drawn on a slow GPU between press and
      // release) is still a click: deck.gl's tap wanted the release handled within 250 ms.
      await page.mouse.move(...at(0.5, 0.5));
      await page.mouse.down();
      await page.evaluate(() => {
        const end = performance.now() + 400;
        while (performance.now() < end);
      });
      await page.mouse.up();
      await page.getByTestId('place').first().waitFor();
      const ranking = async () =>
        (
          await page
            .getByTestId('place')
            .evaluateAll((els) =>
              els.map((e) => `${e.getAttribute('data-col')},${e.getAttribute('data-row')}`),
            )
        ).join(' ');
      const single = await ranking();
      await page.keyboard.down('Shift');
      await page.mouse.click(...at(0.3, 0.7));
      await page.keyboard.up('Shift');
      await expect
        .poll(() => page.getByTestId('picks').innerText(), { timeout: 60_000 })
        .toContain('2 place(s) like, 0 unlike');
      await page.keyboard.down('Alt');
      await page.mouse.click(...at(0.7, 0.3));
      await page.keyboard.up('Alt');
      await expect
        .poll(() => page.getByTestId('picks').innerText(), { timeout: 60_000 })
        .toContain('2 place(s) like, 1 unlike');
      expect(await ranking()).not.toBe(single);
      expect(await page.getByTestId('threshold-area').innerText()).toMatch(/km²/);
      await snapshot(page.locator('body'), artifacts, '50-few-shot');

      // The link carries every pick and the model: a fresh browser rebuilds the same ranking.
      const link = page.url();
      expect(link).toMatch(/[?&]pos=[^&]+/);
      expect(link).toMatch(/[?&]neg=[^&]+/);
      expect(link).toMatch(/[?&]model=spectral/);
      const few = await ranking();
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const other = await context.newPage();
        await other.goto(link);
        await expect
          .poll(
            () =>
              other
                .getByTestId('picks')
                .innerText()
                .catch(() => ''),
            { timeout: 120_000 },
          )
          .toContain('2 place(s) like, 1 unlike');
        const otherRanking = (
          await other
            .getByTestId('place')
            .evaluateAll((els) =>
              els.map((e) => `${e.getAttribute('data-col')},${e.getAttribute('data-row')}`),
            )
        ).join(' ');
        expect(otherRanking).toBe(few);
      } finally {
        await context.close();
      }
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('place').count(), { timeout: 60_000 }).toBe(0);
    });

    it('a click just after the map grows (its next frame not drawn yet) asks about the place under it', async () => {
      // On a phone, closing the panels' sheet grows the map at once, but deck.gl sizes its
      // view only when it draws the next frame (hundreds of ms on a software GPU). A click in
      // between was read with the old, shorter view: 170 px off, outside the scene on a phone.
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        await clickBeforeTheGrownMapIsDrawn();
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    });

    async function clickBeforeTheGrownMapIsDrawn(): Promise<void> {
      const toggle = page.getByTestId('sheet-toggle');
      await toggle.click();
      await page.getByTestId('compute').waitFor();
      const framesDrawn = () =>
        page.evaluate(
          () =>
            new Promise<void>((drawn) => requestAnimationFrame(() => requestAnimationFrame(() => drawn()))),
        );
      await framesDrawn();
      const queryParam = () => new URL(page.url()).searchParams.get('q');
      expect(queryParam()).toBeNull();
      const at = await page.evaluate(async () => {
        const map = document.querySelector<HTMLElement>('[data-testid="map"]')!;
        const canvas = map.querySelector('canvas')!;
        let frames = 0;
        map.addEventListener('eee-map-drawn', () => frames++);
        const before = map.getBoundingClientRect().height;
        document.querySelector<HTMLButtonElement>('[data-testid="sheet-toggle"]')!.click();
        // Svelte applies the change in a microtask: still this task, so no frame comes between.
        for (let i = 0; i < 20 && map.getBoundingClientRect().height < before * 1.5; i++)
          await Promise.resolve();
        const box = map.getBoundingClientRect();
        if (box.height < before * 1.5) throw new Error(`the map did not grow (${before} → ${box.height} px)`);
        const point = { clientX: box.x + box.width * 0.5, clientY: box.y + box.height * 0.5 };
        const init = {
          ...point,
          bubbles: true,
          pointerId: 1,
          isPrimary: true,
          button: 0,
          pointerType: 'mouse',
        };
        canvas.dispatchEvent(new PointerEvent('pointerdown', init));
        canvas.dispatchEvent(new PointerEvent('pointerup', init));
        return { x: point.clientX, y: point.clientY, frames };
      });
      expect(at.frames).toBe(0);
      await expect.poll(queryParam, { timeout: 60_000 }).not.toBeNull();
      const early = queryParam()!.split(',').map(Number);
      // The same point clicked once the grown map is drawn is the same place.
      await framesDrawn();
      await page.keyboard.press('Escape');
      await expect.poll(queryParam, { timeout: 60_000 }).toBeNull();
      await page.mouse.click(at.x, at.y);
      await expect.poll(queryParam, { timeout: 60_000 }).not.toBeNull();
      const settled = queryParam()!.split(',').map(Number);
      expect(Math.abs(early[0]! - settled[0]!)).toBeLessThan(1e-4);
      expect(Math.abs(early[1]! - settled[1]!)).toBeLessThan(1e-4);
      await page.keyboard.press('Escape');
      await expect.poll(queryParam, { timeout: 60_000 }).toBeNull();
    }

    it('colours the scene by its first three principal components', async () => {
      const before = await snapshot(page.getByTestId('map'), artifacts, '51-before-pca');
      await page.getByTestId('pca').click();
      await page.getByTestId('pca-explained').waitFor();
      expect(await page.getByTestId('pca-explained').innerText()).toMatch(/explains \d+% of the variance/);
      let after = before;
      for (let i = 0; i < 40 && changedFraction(before, after) <= 0.3; i++) {
        await page.waitForTimeout(250);
        after = await snapshot(page.getByTestId('map'), artifacts, '52-pca');
      }
      expect(changedFraction(before, after)).toBeGreaterThan(0.3);
    });

    it('lists the scenes of a pack, and a wider cloud mask leaves fewer valid pixels', async () => {
      await page.getByTestId('pack-select').selectOption({ label: 's2-29rkh-2020-02' });
      await page.getByTestId('find-scenes').click();
      const option = page.getByTestId('scene-option');
      await option.first().waitFor();
      expect(await option.count()).toBe(1);
      const row = page.getByTestId('scene-list').locator('li').first();
      expect(await row.innerText()).toContain('(best)');
      expect(await row.innerText()).toMatch(/cloud 4\.1%/);
      expect(await option.first().isChecked()).toBe(true);
      await page.getByTestId('load-scene').click();
      await expect
        .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
        .toContain('S2A_29RKH_20200219_0_L2A');
      const validOf = async () =>
        Number(/([\d.]+)% valid/.exec(await page.getByTestId('scene-stats').innerText())?.[1]);
      const before = await validOf();
      expect(await page.getByTestId('scene-stats').innerText()).toMatch(/fetched [\d.]+ MB in \d+ requests/);
      await page.getByText('Cloud mask (SCL classes)').click();
      await page
        .getByTestId('scl-mask')
        .getByLabel(/not vegetated/)
        .check();
      await page.getByTestId('load-scene').click();
      await expect.poll(validOf, { timeout: 60_000 }).toBeLessThan(before / 2);
    });

    it('logged no console errors', () => {
      expect(errors).toEqual([]);
    });
  },
);
