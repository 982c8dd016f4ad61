import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { changedFraction, openApp, openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)('Presto in the app, end to end in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  openAppForSuite(appUrl, (app) => ({ browser, page, errors } = app));

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

  // A software WebGPU adapter runs Presto at ~20 px/s: one 1,024-pixel batch takes ~50 s and
  // one ONNX Runtime run cannot be interrupted, so Cancel waited for it (~25 s on average).
  it('Cancel stops a WebGPU encode within its first batch, and the encoder runs again after it', async () => {
    await page.getByTestId('backend').selectOption('webgpu');
    await page.getByTestId('compute').click();
    const count = page.locator('[data-task="encode"] [data-testid="progress-count"]');
    // The first batch is in flight (the session is open, no pixel done yet).
    await count.filter({ hasText: /^0 \// }).waitFor({ timeout: 240_000 });
    // Every count the bar shows from the Cancel on, as the DOM changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __countsAfterCancel: string[] }).__countsAfterCancel = seen;
      new MutationObserver(() => {
        const text = document.querySelector(
          '[data-task="encode"] [data-testid="progress-count"]',
        )?.textContent;
        if (text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.locator('[data-task="encode"]').getByTestId('cancel').click();
    await page.locator('[data-task="encode"]').waitFor({ state: 'detached' });
    const counts = await page.evaluate(
      () => (window as unknown as { __countsAfterCancel: string[] }).__countsAfterCancel,
    );
    // Before the fix the bar showed "1,024 / …": Cancel waited for the batch to finish.
    expect(counts.filter((c) => !c.startsWith('0 '))).toEqual([]);
    await expect.poll(() => page.getByTestId('notice').innerText()).toContain('cancelled');

    // The encoder (a fresh worker) encodes the next run.
    await page.getByTestId('backend').selectOption('auto');
    await page.getByTestId('model-spectral').check();
    await page.getByTestId('resolution').selectOption('16');
    await page.getByTestId('compute').click();
    await expect
      .poll(() => page.getByTestId('encoder-info').innerText(), { timeout: 120_000 })
      .toContain('Spectral');
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-task="encode"]').count()).toBe(0);
  }, 300_000);

  // Automatic never picks a software adapter, and this machine has no other: the encoder
  // worker's script is served with SwiftShader's adapter saying it is hardware, as a slow
  // integrated GPU would. Everything else is real: the probe runs Presto on WebGPU and on
  // WASM in the worker, and the measured rates decide.
  it('Automatic measures WebGPU slower than WASM here, encodes on WASM and says why', async () => {
    const second = await openApp(browser, appUrl, { prepareContext: presentAdapterAsHardware });
    try {
      await second.page.getByTestId('model-presto').check();
      await second.page.getByTestId('resolution').selectOption('16');
      expect(await second.page.getByTestId('backend').inputValue()).toBe('auto');
      await second.page.getByTestId('compute').click();
      // The encoder panel says why from the start of the run on WASM (the notice repeats it at the end).
      const info = second.page.getByTestId('encoder-info');
      const why =
        /WASM chosen: on this device WebGPU encoded [\d,]+ px\/s with Presto, slower than WASM's [\d,]+ px\/s\./;
      await expect.poll(() => info.innerText(), { timeout: 240_000 }).toMatch(why);
      expect(await info.innerText()).toContain('wasm int8');
      console.info(`calibration: ${(await info.innerText()).match(why)?.[0]}`);
      const stored = await second.page.evaluate(() => localStorage.getItem('eee.throughput') ?? '');
      expect(Object.keys(JSON.parse(stored)).sort()).toEqual(['presto|wasm', 'presto|webgpu']);
      // The whole encode would add a minute on a slow run and prove nothing more: stop it if it
      // still runs. At 160 m on a fast WASM run it can end before the click (the task's bar goes
      // while the click waits): only a click that fails while the bar is still there fails.
      const encodeTask = second.page.locator('[data-task="encode"]');
      await encodeTask
        .getByTestId('cancel')
        .click({ timeout: 10_000 })
        .catch(async (error: unknown) => {
          if ((await encodeTask.count()) > 0) throw error;
        });
      await encodeTask.waitFor({ state: 'detached' });
      expect(second.errors).toEqual([]);
    } finally {
      // The worker script's route may still be answering (a restarted worker): let it go.
      await second.page.context().unrouteAll({ behavior: 'ignoreErrors' });
      await second.page.context().close();
    }
  }, 300_000);

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});

/** Serves the encoder worker with WebGPU adapters that do not say they are software ones. */
async function presentAdapterAsHardware(context: BrowserContext): Promise<void> {
  const shim = `for (const [type, key, value] of [
    ['GPUAdapterInfo', 'isFallbackAdapter', false],
    ['GPUAdapterInfo', 'architecture', 'slow-test-gpu'],
    ['GPUAdapter', 'isFallbackAdapter', false],
  ]) {
    const proto = globalThis[type]?.prototype;
    if (proto) Object.defineProperty(proto, key, { get: () => value, configurable: true });
  }
`;
  await context.route('**/assets/encoder.worker*.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: shim + (await response.text()) });
  });
}
