import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leaseChromium } from './chromium.ts';
import { snapshot, watchErrors } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe.skipIf(!appUrl)('workshop mode, help and accessibility in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await leaseChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.setDefaultTimeout(60_000);
    errors = watchErrors(page);
    await page.goto(appUrl);
    await page.getByTestId('scene-info').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('walks the guided tour to the end, and it stays off when asked', async () => {
    const tour = page.getByTestId('tour');
    await tour.waitFor();
    const titles = [await tour.getByRole('heading').innerText()];
    for (let i = 0; i < 4; i++) {
      await page.getByTestId('tour-next').click();
      titles.push(await tour.getByRole('heading').innerText());
    }
    expect(titles.map((t) => t.split('.')[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(titles.join(' ')).toMatch(/composites.*Embeddings.*Similarity.*Clusters.*export/is);
    await snapshot(page.locator('body'), artifacts, '30-tour-last-step');
    await tour.getByLabel("Don't show the tour at start").check();
    await page.getByTestId('tour-done').click();
    expect(await tour.count()).toBe(0);
    await page.reload();
    await page.getByTestId('scene-info').waitFor();
    expect(await page.getByTestId('tour').count()).toBe(0);
    // T brings it back on demand.
    await page.keyboard.press('t');
    await page.getByTestId('tour').waitFor();
    await page.getByRole('button', { name: 'Close the tour' }).click();
  });

  it('lists the keyboard shortcuts, and they work', async () => {
    await page.keyboard.press('?');
    const help = page.getByTestId('help');
    await help.waitFor();
    expect(await help.innerText()).toContain('compute embeddings');
    await snapshot(page.locator('body'), artifacts, '31-help');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    await page.keyboard.press('2');
    await expect.poll(() => page.getByTestId('composite').inputValue()).toBe('false-colour');
    // 3 is SWIR, which this four-band pack cannot show: said so, not NDVI (4) instead.
    await page.keyboard.press('3');
    await expect
      .poll(() => page.getByTestId('notice').innerText())
      .toMatch(/SWIR .* needs bands this scene does not have/);
    expect(await page.getByTestId('composite').inputValue()).toBe('false-colour');
    await page.keyboard.press('1');
    await page.keyboard.press('e');
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
  });

  it('has labelled controls and no serious accessibility violations (axe-core)', async () => {
    // The app's CSP rightly refuses injected scripts: audit in a context that bypasses it.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 720 } });
    await context.addInitScript(() => localStorage.setItem('eee.tour', 'off'));
    const audited = await context.newPage();
    await audited.goto(appUrl);
    await audited.getByTestId('scene-info').waitFor();
    await audited.addScriptTag({ content: axeSource });
    const violations = (await audited.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> };
        }
      ).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
      }));
    })) as AxeViolation[];
    await context.close();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(serious, null, 1)).toEqual([]);
  });

  it('reaches the main controls with the keyboard in a sensible order', async () => {
    await page.locator('body').focus();
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(
          () =>
            document.activeElement?.getAttribute('data-testid') ??
            document.activeElement?.textContent?.trim().slice(0, 20) ??
            '',
        ),
      );
    }
    const load = order.indexOf('load-scene');
    const compute = order.indexOf('compute');
    expect(load, order.join(' | ')).toBeGreaterThanOrEqual(0);
    expect(compute).toBeGreaterThan(load);
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
