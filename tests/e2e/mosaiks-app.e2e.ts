import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { changedFraction, openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)('MOSAIKS in the app, end to end in Chromium', () => {
  let page: Page;
  let errors: string[];

  openAppForSuite(appUrl, (app) => ({ page, errors } = app));

  it("encodes the Dolomites on 40 m patches with filters from the scene's own pixels, and finds similar places", async () => {
    await page.getByTestId('model-mosaiks').check();
    expect(await page.getByTestId('resolution').inputValue()).toBe('4');
    const before = await snapshot(page.getByTestId('map'), artifacts, '70-mosaiks-before');
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 180_000 });
    const info = await page.getByTestId('encoder-info').innerText();
    expect(info).toContain('MOSAIKS, 128 features');
    expect(info).toContain('wasm fp32');

    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor();
    expect(await page.getByTestId('place').count()).toBe(10);
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
    // The link names the model and its patch size, so a colleague gets the same grid.
    expect(page.url()).toMatch(/[?&]model=mosaiks(&|$)/);
    expect(page.url()).toMatch(/[?&]res=4(&|$)/);
    let after = before;
    for (let i = 0; i < 40 && changedFraction(before, after) <= 0.05; i++) {
      await page.waitForTimeout(250);
      after = await snapshot(page.getByTestId('map'), artifacts, '71-mosaiks-similarity');
    }
    expect(changedFraction(before, after)).toBeGreaterThan(0.05);
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
