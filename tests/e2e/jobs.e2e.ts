import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { userModelFixture } from '../encoder/user-model-fixture.ts';
import { MAIN_THREAD_BYTES_SCRIPT, receivedBytes, resetReceivedBytes } from './main-thread-bytes.ts';
import { openAppForSuite } from './page-helpers.ts';

const appUrl = inject('appUrl');
const packsDir = inject('packsDir');

/**
 * A user's model served by the app's own server (its packs folder: the page's CSP allows
 * only its own origin), whose .onnx request the browser holds until the test releases it:
 * the encode is then provably still running when the map is clicked, with no timing involved.
 */
function heldModel(context: BrowserContext): {
  manifestUrl: string;
  requested: Promise<void>;
  release: () => void;
} {
  const { manifest, onnx, file } = userModelFixture('held-linear');
  const dir = join(packsDir, 'held-model');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, file), onnx);
  let onRequested: () => void = () => undefined;
  const requested = new Promise<void>((done) => {
    onRequested = done;
  });
  let release: () => void = () => undefined;
  const released = new Promise<void>((done) => {
    release = done;
  });
  void context.route(`**/held-model/${file}`, async (route) => {
    onRequested();
    await released;
    await route.continue();
  });
  return { manifestUrl: new URL('packs/held-model/manifest.json', appUrl).href, requested, release };
}

describe.skipIf(!appUrl)('jobs run side by side, end to end in Chromium', () => {
  let page: Page;
  let errors: string[];
  let model: ReturnType<typeof heldModel>;

  openAppForSuite(
    appUrl,
    (app) => {
      ({ page, errors } = app);
      model = heldModel(page.context());
    },
    { initScripts: [MAIN_THREAD_BYTES_SCRIPT] },
  );
  afterAll(() => {
    model?.release();
    rmSync(join(packsDir, 'held-model'), { recursive: true, force: true });
  });

  it('a click on the previous embeddings leaves a running encode to finish', async () => {
    // The 29RKH pack has the swir16 band the fixture model needs.
    await page.getByTestId('pack-select').selectOption({ label: 's2-29rkh-2020-02' });
    await resetReceivedBytes(page);
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('S2A_29RKH_20200219_0_L2A');
    await page.getByTestId('resolution').selectOption('2');
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('encoder-info').innerText()).toContain('Spectral');

    // The scene's pixels went scene worker -> encoder worker and the embeddings come back in
    // shared memory: the main thread received references, and no copy of even one band
    // (before: every band, transferred here, and every batch of embeddings, sent back here).
    const [, w, h] = /(\d+) × (\d+) px/.exec(await page.getByTestId('scene-info').innerText()) ?? [];
    const bandBytes = Number(w) * Number(h) * 4;
    expect(bandBytes).toBeGreaterThan(0);
    const got = await receivedBytes(page);
    writeFileSync(
      join(inject('artifactsDir'), 'main-thread-bytes.json'),
      JSON.stringify({ bandBytes, ...got }),
    );
    // Progress thumbnails (RGBA, at most 512 px a side) are the only pixels that come here.
    const { Uint8ClampedArray: _thumbnails, ...bulk } = got.copied;
    const bulkBytes = Object.values(bulk).reduce((a, b) => a + b, 0);
    expect(bulkBytes, JSON.stringify(got)).toBeLessThan(bandBytes / 4);
    expect(got.sharedArrays, JSON.stringify(got)).toBeGreaterThan(0);

    await page.getByTestId('own-model').locator('summary').click();
    await page.getByTestId('model-url').fill(model.manifestUrl);
    await page.getByTestId('model-url').press('Enter');
    await expect
      .poll(() => page.getByTestId('model-message').innerText(), { timeout: 30_000 })
      .toContain('Loaded My linear model');
    await page.getByTestId('compute').click();
    // The encoder worker asked for the model file: the encode job runs and waits on it.
    await model.requested;
    const encoding = page.locator('[data-testid="progress"][data-task="encode"]');
    await encoding.waitFor();
    expect(await encoding.innerText()).toContain('My linear model');

    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
    expect(await encoding.count()).toBe(1);

    model.release();
    await encoding.waitFor({ state: 'detached', timeout: 120_000 });
    const notice = page.getByTestId('notice');
    const said = (await notice.count()) ? await notice.innerText() : '';
    expect(said).not.toContain('cancelled');
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('encoder-info').innerText()).toContain('My linear model, 6 features');
    await page.getByTestId('embeddings-ready').waitFor();
    // The embeddings on screen are the new model's: the link names it.
    await expect
      .poll(() => new URL(page.url()).searchParams.get('model'), { timeout: 30_000 })
      .toMatch(/^held-linear@/);
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
