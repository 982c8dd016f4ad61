import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leaseChromium } from './chromium.ts';
import { openApp, snapshot, watchErrors } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/**
 * The app on a device that reports 0.5 GB of memory (navigator.deviceMemory, as a low-end
 * Chromebook does): its large-area limit is 1/8 of a 4 GB laptop's, so the whole Dolomites
 * pack (about a million 10 m pixels) is too large for it. The demo packs hold no real 10 m
 * scene large enough to warn on a laptop, and a box larger than a pack loads only the pack.
 */
async function openOnSmallDevice(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    localStorage.setItem('eee.tour', 'off');
    Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.5, configurable: true });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(url);
  await page.getByTestId('scene-info').waitFor();
  return { page, errors };
}

const number = (text: string | undefined) => Number((text ?? '').replaceAll(',', ''));

/** "989,106 pixels at 10 m" of the area estimate. */
async function estimated(page: Page): Promise<{ pixels: number; metres: number }> {
  const text = await page.getByTestId('area-estimate').innerText();
  const [, pixels, metres] = /([\d,]+) pixels at (\d+) m/.exec(text) ?? [];
  return { pixels: number(pixels), metres: Number(metres) };
}

/** Pixel count, pixel size, grid and bytes fetched, from the loaded scene's info line. */
async function loaded(
  page: Page,
): Promise<{ pixels: number; metres: number; cols: number; rows: number; mb: number }> {
  const text = await page.getByTestId('scene-stats').innerText();
  const [, pixels, metres, cols, rows] = /([\d,]+) pixels of ([\d.]+) m \((\d+) × (\d+)\)/.exec(text) ?? [];
  const [, mb] = /fetched ([\d.]+) MB/.exec(text) ?? [];
  return {
    pixels: number(pixels),
    metres: Number(metres),
    cols: Number(cols),
    rows: Number(rows),
    mb: Number(mb),
  };
}

describe.skipIf(!appUrl)('a large area offers a coarser load resolution, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let link = '';

  beforeAll(async () => {
    browser = await leaseChromium();
    ({ page, errors } = await openOnSmallDevice(browser, appUrl));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the whole pack warns on a small device, with the estimate and an offer per coarser resolution', async () => {
    // The pack the app opened at start-up, whole, at 10 m.
    const start = await loaded(page);
    expect([start.cols, start.rows, start.metres]).toEqual([1059, 934, 10]);
    const warning = page.getByTestId('area-warning');
    await warning.waitFor();
    const text = await warning.innerText();
    expect(text).toContain('Large area for this device');
    expect(text).toMatch(/about \d+ MB and encoding ~\d+(–\d+)? (s|min)/);
    const whole = await estimated(page);
    expect(whole.metres).toBe(10);
    // The estimate counts the pack's footprint: the grid it loaded, to 1%.
    expect(Math.abs(whole.pixels / start.pixels - 1)).toBeLessThan(0.01);
    expect(await page.getByTestId('area-estimate').innerText()).toContain('Whole pack');
    for (const r of [20, 40, 80, 160]) {
      const offer = await page.getByTestId(`offer-${r}`).innerText();
      expect(offer).toMatch(
        new RegExp(`^Load at ${r} m \\([\\d,]+ px, <?\\d+ MB, ~\\d+(–\\d+)? (s|min)\\)$`),
      );
    }
    await snapshot(page.locator('aside'), artifacts, '90-large-area-offer');
  });

  it('taking the 40 m offer updates the estimate; loading gives 40 m pixels, as many as estimated, for fewer bytes', async () => {
    const start = await loaded(page);
    const offered = number(/\(([\d,]+) px/.exec(await page.getByTestId('offer-40').innerText())?.[1]);
    await page.getByTestId('offer-40').click();
    expect(await page.getByTestId('load-resolution').inputValue()).toBe('40');
    expect(await page.getByTestId('load-coarser').innerText()).toContain('Loading at 40 m');
    const plan = await estimated(page);
    expect(plan).toEqual({ pixels: offered, metres: 40 });
    // 62,000 pixels fit this device: no warning any more.
    expect(await page.getByTestId('area-warning').count()).toBe(0);

    await page.getByTestId('load-scene').click();
    await expect.poll(async () => (await loaded(page)).metres, { timeout: 60_000 }).toBe(40);
    const coarse = await loaded(page);
    expect([coarse.cols, coarse.rows]).toEqual([265, 234]);
    expect(coarse.pixels).toBe(265 * 234);
    expect(Math.abs(coarse.pixels / plan.pixels - 1)).toBeLessThan(0.01);
    // Each band came from its 40 m overview: a fraction of the bytes of the 10 m load.
    expect(coarse.mb).toBeLessThan(start.mb / 4);
    await snapshot(page.getByTestId('map'), artifacts, '91-loaded-at-40m');
    await snapshot(page.locator('aside'), artifacts, '92-scene-at-40m');

    // The link says so.
    await expect.poll(() => new URL(page.url()).searchParams.get('res_m')).toBe('40');
    link = page.url();
    expect(errors).toEqual([]);
  });

  it('the link opens the scene at 40 m elsewhere; back to 10 m brings the warning back', async () => {
    const other = await openApp(browser, link);
    try {
      await expect.poll(async () => (await loaded(other.page)).metres, { timeout: 60_000 }).toBe(40);
      expect((await loaded(other.page)).cols).toBe(265);
      expect(await other.page.getByTestId('load-resolution').inputValue()).toBe('40');
      // A typed 30 x 30 km box around the pack is estimated over the pack only (clipped to it):
      // at 40 m and at 10 m it is the pack's own grid, which a 4 GB-class device loads unwarned.
      await other.page.getByTestId('area').fill('11.95, 46.45, 12.34, 46.72');
      await other.page.getByText('Over the pack:').waitFor();
      expect((await estimated(other.page)).metres).toBe(40);
      expect(await other.page.getByTestId('area-warning').count()).toBe(0);
      await other.page.getByTestId('load-full').click();
      expect(await other.page.getByTestId('load-resolution').inputValue()).toBe('10');
      const full = await estimated(other.page);
      expect(full.metres).toBe(10);
      // The pack's pixels, not the box's 30 x 30 km: the clip follows the pack's lon/lat bounds,
      // which enclose its UTM grid with ~8% to spare.
      expect(full.pixels / (1059 * 934)).toBeGreaterThan(0.98);
      expect(full.pixels / (1059 * 934)).toBeLessThan(1.12);
      expect(await other.page.getByTestId('area-warning').count()).toBe(0);
      await snapshot(other.page.locator('aside'), artifacts, '93-typed-area-over-pack');
      expect(other.errors).toEqual([]);
    } finally {
      await other.page.context().close();
    }

    // Back on the small device: the select returns to 10 m and the whole pack warns again.
    await page.getByTestId('load-resolution').selectOption('10');
    expect((await estimated(page)).metres).toBe(10);
    await page.getByTestId('area-warning').waitFor();
    expect(await page.getByTestId('load-coarser').count()).toBe(0);
  });
});
