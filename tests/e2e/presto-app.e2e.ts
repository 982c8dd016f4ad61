import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { changedFraction, openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)('Presto in the app, end to end in Chromium', () => {
  let page: Page;
  let errors: string[];

  openAppForSuite(appUrl, (app) => ({ page, errors } = app));

  it('encodes the Dolomites pack with Presto (verified download, WASM, 160 m) and finds similar places', async () => {
    await page.getByTestId('model-presto').check();
    await page.getByTestId('resolution').selectOption('16');
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 240_000 });
    const info = await page.getByTestId('encoder-info').innerText();
    expect(info).toContain('Presto');
    expect(info).toContain('128 features');
    // SwiftShader is a software adapter: Automatic picks WASM and says why.
    expect(info).toContain('wasm int8');
    expect(info).toMatch(/software fallback|no WebGPU/);

    const before = await snapshot(page.getByTestId('map'), artifacts, '40-presto-before');
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor();
    expect(await page.getByTestId('place').count()).toBe(10);
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
    const first = page.getByTestId('place').first();
    expect(await first.getAttribute('data-col')).toBe(
      await page.getByTestId('query').getAttribute('data-col'),
    );
    // The heat map lies on the 160 m grid of the embeddings, over the whole scene.
    let after = before;
    for (let i = 0; i < 40 && changedFraction(before, after) <= 0.05; i++) {
      await page.waitForTimeout(250);
      after = await snapshot(page.getByTestId('map'), artifacts, '41-presto-similarity');
    }
    expect(changedFraction(before, after)).toBeGreaterThan(0.05);
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
