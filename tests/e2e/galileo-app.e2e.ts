import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)('Galileo-nano in the app, end to end in Chromium', () => {
  let page: Page;
  let errors: string[];

  openAppForSuite(appUrl, (app) => ({ page, errors } = app));

  it('is offered with what it masks, encodes the Dolomites pack (verified download, WASM, 160 m) and finds similar places', async () => {
    await page.getByTestId('model-galileo-nano').check();
    const note = await page.getByTestId('galileo-note').innerText();
    expect(note).toContain('Sentinel-1');
    expect(note).toContain('Patch mode');
    await page.getByTestId('resolution').selectOption('16');
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 240_000 });
    const info = await page.getByTestId('encoder-info').innerText();
    expect(info).toContain('Galileo-nano');
    expect(info).toContain('128 features');
    // SwiftShader is a software adapter: Automatic picks WASM with int8 and says why.
    expect(info).toContain('wasm int8');
    // The link names the model and the first 12 hex digits of its SHA-256.
    expect(new URL(page.url()).search + new URL(page.url()).hash).toContain('galileo-nano');

    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor();
    expect(await page.getByTestId('place').count()).toBe(10);
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
    await snapshot(page.getByTestId('map'), artifacts, '60-galileo-similarity');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
