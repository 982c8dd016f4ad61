import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { userModelFixture } from '../encoder/user-model-fixture.ts';
import { leaseChromium } from './chromium.ts';
import { openApp, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)("a user's own ONNX model, end to end in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const dir = join(artifacts, 'own-model');
  const { manifest, onnx, file } = userModelFixture();

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, file), onnx);
    const tampered = onnx.slice();
    tampered[20] = (tampered[20] ?? 0) ^ 0xff;
    mkdirSync(join(dir, 'tampered'), { recursive: true });
    writeFileSync(join(dir, 'tampered', file), tampered);
    browser = await leaseChromium();
    ({ page, errors } = await openApp(browser, appUrl));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('refuses a model file whose SHA-256 differs from its manifest, and keeps the current choice', async () => {
    await page.getByTestId('own-model').locator('summary').click();
    await page
      .getByTestId('model-files')
      .setInputFiles([join(dir, 'manifest.json'), join(dir, 'tampered', file)]);
    await expect
      .poll(() => page.getByTestId('model-message').innerText(), { timeout: 10_000 })
      .toContain(`The model file ${file} is not the expected one`);
    expect(await page.getByTestId('model-my-linear').count()).toBe(0);
    expect(await page.getByTestId('model-spectral').isChecked()).toBe(true);
  });

  it('names the field of a broken manifest', async () => {
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ ...manifest, kind: 'voxel' }));
    await page.getByTestId('model-files').setInputFiles([join(dir, 'broken.json'), join(dir, file)]);
    await expect
      .poll(() => page.getByTestId('model-message').innerText(), { timeout: 10_000 })
      .toMatch(/The manifest broken\.json is invalid: kind:/);
  });

  it('loads the checked model, says which band a scene lacks, and encodes a scene that has them', async () => {
    await page.getByTestId('model-files').setInputFiles([join(dir, 'manifest.json'), join(dir, file)]);
    await expect
      .poll(() => page.getByTestId('model-message').innerText(), { timeout: 10_000 })
      .toContain('Loaded My linear model');
    expect(await page.getByTestId('model-my-linear').isChecked()).toBe(true);
    // The Dolomites pack has blue, green, red and nir only.
    await page.getByTestId('compute').click();
    await expect
      .poll(() => page.getByTestId('error').innerText(), { timeout: 10_000 })
      .toContain('My linear model needs the band(s) swir16, which this scene lacks.');

    await page.getByTestId('pack-select').selectOption({ label: 's2-29rkh-2020-02' });
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('S2A_29RKH_20200219_0_L2A');
    expect(await page.getByTestId('model-my-linear').isChecked()).toBe(true);
    await page.getByTestId('resolution').selectOption('2');
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
    const info = await page.getByTestId('encoder-info').innerText();
    expect(info).toContain('My linear model, 6 features');
    expect(info).toMatch(/wasm fp32/);

    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor();
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
    await snapshot(page.getByTestId('map'), artifacts, '50-own-model-similarity');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
