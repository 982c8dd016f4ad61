import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leaseChromium } from './chromium.ts';
import { watchErrors } from './page-helpers.ts';
import { axeViolations, boxOf, clientBox, horizontalOverflow, inside, viewportBox } from './ui-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/** A phone (iPhone 12-14 class), a small laptop and a common laptop, as the issue tried them. */
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'small-laptop', width: 1024, height: 700 },
  { name: 'laptop', width: 1280, height: 800 },
] as const;

/** The Dolomites pack at 20 m: a quarter of the pixels, so each size encodes in seconds. */
const PACK_LINK = '?pack=dolomites-2022-06&res_m=20';

/**
 * Opens the app at this size in a new tab of the shared context. The guided tour shows on every
 * tab (closing it without "Don't show" keeps nothing), so each size starts as a first-time
 * visitor would see it; the first size (the phone) has empty storage and encodes, the later
 * ones read the same tiles and embeddings back from the browser's cache instead of encoding
 * the same scene again.
 */
async function openFresh(
  context: BrowserContext,
  width: number,
  height: number,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  page.setDefaultTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(new URL(PACK_LINK, appUrl).href);
  await page.getByTestId('scene-info').waitFor({ state: 'attached' });
  return { page, errors };
}

/** On a phone the panels live in a sheet the user opens; on wider windows they always show. */
async function openPanels(page: Page): Promise<void> {
  const toggle = page.getByTestId('sheet-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true')
    await toggle.click();
  await page.getByTestId('compute').waitFor();
}

/**
 * Every control a finger may press, with the box that takes the press: a checkbox or radio
 * is pressed through its label.
 */
async function touchTargets(page: Page): Promise<{ what: string; width: number; height: number }[]> {
  return page.evaluate(() => {
    const selector = 'aside button, aside select, aside summary, aside input, main button';
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'file'))
      .map((el) => {
        const pressed =
          el instanceof HTMLInputElement && ['checkbox', 'radio'].includes(el.type)
            ? (el.closest('label') ?? el)
            : el;
        const r = pressed.getBoundingClientRect();
        const name =
          el.getAttribute('data-testid') ??
          el.getAttribute('aria-label') ??
          el.textContent?.trim().slice(0, 24) ??
          '';
        return { what: `${el.tagName.toLowerCase()} ${name}`, width: r.width, height: r.height };
      });
  });
}

describe.skipIf(!appUrl)('the layout on a phone, a small laptop and a laptop, in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await leaseChromium();
    // bypassCSP: axe-core is injected at the end (the app's CSP rightly refuses scripts).
    context = await browser.newContext({ viewport: SIZES[0], bypassCSP: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const size of SIZES) {
    it(`${size.width}x${size.height}: no sideways scroll, a large map, every panel reachable, the tour fits and closes`, async () => {
      const { page, errors } = await openFresh(context, size.width, size.height);
      const viewport = viewportBox(page);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      // The tour: inside the window, readable, its close button on screen; Close closes it.
      const tour = page.getByTestId('tour');
      await tour.waitFor();
      const tourBox = await boxOf(tour);
      expect(inside(tourBox, viewport), JSON.stringify(tourBox)).toBe(true);
      expect(tourBox.width).toBeGreaterThanOrEqual(Math.min(300, size.width - 40));
      const close = page.getByRole('button', { name: 'Close the tour' });
      expect(inside(await boxOf(close), viewport)).toBe(true);
      await page.screenshot({ path: `${artifacts}/layout-${size.width}x${size.height}-tour.png` });
      await close.click();
      await expect.poll(() => tour.count()).toBe(0);

      // The map: at least half of a phone's screen, and all but the sidebar on wider windows.
      const mapArea = () => boxOf(page.getByTestId('map'));
      const share = async () => {
        const m = await mapArea();
        return (m.width * m.height) / (viewport.width * viewport.height);
      };
      if (size.name === 'phone') {
        expect(await share()).toBeGreaterThanOrEqual(0.5);
        expect((await mapArea()).width).toBe(size.width);
      } else {
        expect((await mapArea()).width).toBeGreaterThanOrEqual(size.width - 400);
        expect((await mapArea()).height).toBe(size.height);
      }

      // Every panel of the sidebar (the sheet on a phone) can be scrolled to and seen.
      await openPanels(page);
      if (size.name === 'phone') expect(await share()).toBeGreaterThanOrEqual(0.5);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      const aside = page.locator('aside');
      const headings = aside.locator('h2');
      const count = await headings.count();
      expect(count).toBeGreaterThanOrEqual(6);
      for (let i = 0; i < count; i++) {
        const heading = headings.nth(i);
        await heading.scrollIntoViewIfNeeded();
        const box = await boxOf(heading);
        const visible = await clientBox(aside);
        expect(inside(box, visible), `${await heading.innerText()} ${JSON.stringify(box)}`).toBe(true);
        expect(inside(box, viewport)).toBe(true);
        // Nothing covers it: the element under its centre is the heading itself.
        const hit = await page.evaluate(
          ([x, y]) => document.elementFromPoint(x!, y!)?.closest('h2')?.textContent ?? '',
          [box.x + box.width / 2, box.y + box.height / 2],
        );
        expect(hit).toBe(await heading.innerText());
      }
      // The sidebar never scrolls sideways either.
      expect(await aside.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);

      if (size.name === 'phone') {
        const small = (await touchTargets(page)).filter((t) => t.height < 44 || t.width < 44);
        expect(small, JSON.stringify(small, null, 1)).toEqual([]);
      }

      // The analyst's first loop, for the screenshot: compute, click the map, read the result.
      await page.getByTestId('compute').click();
      await page.getByTestId('embeddings-ready').waitFor({ timeout: 150_000 });
      if (size.name === 'phone') {
        await page.getByTestId('sheet-toggle').click();
        await expect.poll(async () => (await share()) > 0.85).toBe(true);
      }
      const map = await mapArea();
      await page.mouse.click(map.x + map.width * 0.45, map.y + map.height * 0.5);
      if (size.name === 'phone') await openPanels(page);
      await page.getByTestId('top-places').waitFor();
      // The answer is in view, even when it arrived while a phone's sheet was closed.
      await expect
        .poll(async () =>
          inside(await boxOf(page.getByTestId('similarity-legend')), await clientBox(page.locator('aside'))),
        )
        .toBe(true);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      if (size.name === 'phone') {
        // The cluster legend's show/hide boxes are finger-sized too (they were 22 px).
        await page.getByTestId('k').fill('3');
        await page.getByTestId('cluster').click();
        await page.getByTestId('cluster-legend').locator('li').nth(2).waitFor({ timeout: 120_000 });
        const small = (await touchTargets(page)).filter((t) => t.height < 44 || t.width < 44);
        expect(small, JSON.stringify(small, null, 1)).toEqual([]);
        await page.getByTestId('similarity-legend').scrollIntoViewIfNeeded();
      }
      // Let deck.gl draw the heat map before the picture is taken: its scores are on the GPU
      // (the map counts the uploads) and two more animation frames have been drawn since.
      await expect
        .poll(async () => Number(await page.getByTestId('map').getAttribute('data-score-uploads')))
        .toBeGreaterThan(0);
      await page.evaluate(
        () => new Promise<void>((drawn) => requestAnimationFrame(() => requestAnimationFrame(() => drawn()))),
      );
      await page.screenshot({ path: `${artifacts}/layout-${size.width}x${size.height}.png` });
      // Accessible at this size too, with the answer on screen: no axe-core violation at all.
      const violations = await axeViolations(page);
      expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
