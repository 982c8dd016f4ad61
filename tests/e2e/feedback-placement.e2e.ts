import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../../scripts/pack-demo.ts';
import { openAppForSuite } from './page-helpers.ts';
import { boxOf, clientBox, inside } from './ui-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/** The Dolomites pack at 40 m (about 62,000 pixels): quick to encode with the spectral model. */
const PACK_LINK = '?pack=dolomites-2022-06&res_m=40';

/** Whether the element is fully inside the sidebar's visible part (and so on screen). */
async function seenInSidebar(page: Page, testId: string): Promise<boolean> {
  return inside(await boxOf(page.getByTestId(testId)), await clientBox(page.locator('aside')));
}

describe.skipIf(!appUrl)('feedback where the user looks, in Chromium at 1280x800', () => {
  let page: Page;
  let errors: string[];

  openAppForSuite(new URL(PACK_LINK, appUrl || 'http://x/').href, (app) => ({ page, errors } = app));

  it('shows the encode progress and its Cancel beside Compute, and no stale "Embeddings ready" during a new run', async () => {
    await page.getByTestId('compute').click();
    const progress = page.locator('[data-testid="progress"][data-task="encode"]');
    await progress.waitFor();
    const compute = await boxOf(page.getByTestId('compute'));
    const bar = await boxOf(progress);
    // Right under the button, inside the embeddings panel, and on screen.
    expect(bar.y).toBeGreaterThanOrEqual(compute.y);
    expect(bar.y - (compute.y + compute.height)).toBeLessThan(120);
    expect(await page.getByRole('region', { name: 'Embeddings' }).getByTestId('progress').count()).toBe(1);
    expect(inside(bar, await clientBox(page.locator('aside')))).toBe(true);
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });

    // A second, slower run (Presto): the old "ready" line gives way to what is happening now.
    await page.getByTestId('model-presto').check();
    await page.getByTestId('compute').click();
    await progress.waitFor();
    expect(await page.getByTestId('embeddings-ready').count()).toBe(0);
    const running = page.getByTestId('embeddings-running');
    expect(await running.innerText()).toMatch(/previous embeddings stay usable/i);
    await page.screenshot({ path: join(artifacts, 'feedback-progress-by-compute.png') });
    // Cancelled once its session is open (the encoder line names it): the panel says so, and
    // the encoder line goes back to the embeddings on screen, not the run that did not finish.
    await expect
      .poll(() => page.getByTestId('encoder-info').innerText(), { timeout: 60_000 })
      .toContain('Presto');
    await progress.getByTestId('cancel').click();
    await page.getByTestId('embeddings-ready').waitFor();
    expect(await page.getByTestId('encode-cancelled').innerText()).toMatch(
      /Cancelled: the embeddings on screen are the ones from before/,
    );
    expect(await page.getByTestId('encoder-info').innerText()).not.toContain('Presto');
    await page.getByTestId('model-spectral').check();
  });

  it('after a click the legend and the top 10 are in view, with a key to the markers', async () => {
    const map = await boxOf(page.getByTestId('map'));
    await page.mouse.click(map.x + map.width * 0.5, map.y + map.height * 0.5);
    await page.getByTestId('top-places').waitFor();
    await expect.poll(() => seenInSidebar(page, 'similarity-legend')).toBe(true);
    expect(await seenInSidebar(page, 'top-places')).toBe(true);

    // The key names each marker with the colour the map draws it in.
    const key = page.getByTestId('marker-key');
    expect(await key.innerText()).toMatch(/query[\s\S]*top 10[\s\S]*like[\s\S]*unlike/i);
    const colours = await key
      .locator('[data-testid="marker-swatch"]')
      .evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
    expect(colours).toEqual([
      'rgb(255, 64, 64)',
      'rgb(255, 255, 255)',
      'rgb(255, 160, 40)',
      'rgb(60, 140, 255)',
    ]);
    await page.keyboard.down('Shift');
    await page.mouse.click(map.x + map.width * 0.55, map.y + map.height * 0.45);
    await page.keyboard.up('Shift');
    await expect.poll(() => page.getByTestId('picks').innerText()).toContain('2 place(s) like');
    await page.screenshot({ path: join(artifacts, 'feedback-similarity-in-view.png') });
  });

  it('keeps a threshold the user set across clicks, says so, and goes back to automatic on request', async () => {
    const slider = page.getByTestId('threshold');
    await slider.fill('0.95');
    await expect.poll(() => page.getByTestId('threshold-label').innerText()).toContain('0.950');
    const map = await boxOf(page.getByTestId('map'));
    const before = await page.getByTestId('query').getAttribute('data-col');
    await page.mouse.click(map.x + map.width * 0.4, map.y + map.height * 0.6);
    await expect.poll(() => page.getByTestId('query').getAttribute('data-col')).not.toBe(before);
    expect(await page.getByTestId('threshold-label').innerText()).toContain('0.950');
    expect(await page.getByTestId('threshold-kept').innerText()).toMatch(/kept/i);
    await page.getByTestId('threshold-auto').click();
    await expect.poll(() => page.getByTestId('threshold-label').innerText()).not.toContain('0.950');
    expect(await page.getByTestId('threshold-kept').count()).toBe(0);
  });

  it('warns when "Reflectance (0–1)" is chosen for files of scaled integers, and the select fits the sidebar', async () => {
    const dir = join(DEFAULT_DATA_DIR, 's2/dolomites-2022-06');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.tif'))
      .map((f) => join(dir, f));
    await page.getByLabel('Open GeoTIFF files').check();
    const select = page.getByTestId('dn-convention');
    expect(inside(await boxOf(select), await clientBox(page.locator('aside')))).toBe(true);
    expect(await page.locator('aside').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(
      0,
    );

    await page.getByTestId('file-input').setInputFiles(files);
    await select.selectOption('reflectance');
    await page.getByTestId('load-scene').click();
    const warning = page.getByTestId('reflectance-warning');
    await warning.waitFor({ timeout: 60_000 });
    const text = await warning.innerText();
    // 750–7,313 over the four bands (the issue saw 750–7229 in one of them).
    expect(text).toMatch(/from 750 to 7,313/);
    expect(text).toMatch(/scaled integers/i);
    await page.screenshot({ path: join(artifacts, 'feedback-reflectance-warning.png') });

    await select.selectOption('offset-1000');
    await page.getByTestId('load-scene').click();
    await expect.poll(() => warning.count(), { timeout: 60_000 }).toBe(0);
    expect(await page.getByTestId('scene-info').innerText()).toContain('4 file(s)');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
