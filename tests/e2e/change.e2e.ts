import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { buildChangePack } from './change-pack.ts';
import { changedFraction, openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');
const packsDir = inject('packsDir');

describe.skipIf(!appUrl)('change between two dates, end to end in Chromium', () => {
  let page: Page;
  let errors: string[];

  openAppForSuite(`${appUrl}?pack=dolomites-change`, (app) => ({ page, errors } = app), {
    prepare: () => buildChangePack(join(packsDir, 'dolomites-change')),
  });

  it('maps the block that changed between June and August, and only it', async () => {
    await page.getByTestId('pack-select').selectOption({ label: 'dolomites-change' });
    await page.getByTestId('find-scenes').click();
    await expect.poll(() => page.getByTestId('scene-option').count(), { timeout: 60_000 }).toBe(2);
    const june = page
      .getByTestId('scene-list')
      .locator('li', { hasText: '2022-06' })
      .getByTestId('scene-option');
    await june.check();
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('dolomites-2022-06');
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor();
    const before = await snapshot(page.getByTestId('map'), artifacts, '60-change-before');

    const choices = await page.getByTestId('change-date').locator('option:not([disabled])').allInnerTexts();
    expect(choices).toEqual([expect.stringContaining('2022-08')]);
    await page.getByTestId('change-date').selectOption({ index: 1 });
    await page.getByTestId('compare').click();
    await page.getByTestId('change-summary').waitFor({ timeout: 120_000 });
    const summary = await page.getByTestId('change-summary').innerText();
    const [, min, max, km2] = /([\d.]+) to ([\d.]+); ([\d.]+) km²/.exec(summary) ?? [];
    // Unchanged pixels have identical embeddings; the cleared 200 x 200 px block (4 km²) does not.
    // The spectral encoder's 7 x 7 texture sees the block's edge from up to 3 px outside it, so
    // the change may reach a 206 x 206 px square (4.24 km²), never further.
    expect(Number(min)).toBeLessThan(1e-3);
    expect(Number(max)).toBeGreaterThan(0.05);
    expect(Number(km2)).toBeGreaterThan(3);
    expect(Number(km2)).toBeLessThanOrEqual(4.25);

    let after = before;
    for (let i = 0; i < 40 && changedFraction(before, after) <= 0.005; i++) {
      await page.waitForTimeout(250);
      after = await snapshot(page.getByTestId('map'), artifacts, '61-change-map');
    }
    const changed = changedFraction(before, after);
    expect(changed).toBeGreaterThan(0.005);
    // The block is ~4% of the scene: the map must not light up everywhere.
    expect(changed).toBeLessThan(0.2);

    // A reload keeps the change: the link names the other date, which is read and mapped again
    // (opened in a second tab, so this tab keeps its state for the tests below).
    expect(new URL(page.url()).searchParams.get('chg')).toBeTruthy();
    const reopened = await page.context().newPage();
    try {
      await reopened.goto(page.url());
      await reopened.getByTestId('change-summary').waitFor({ timeout: 180_000 });
      expect(await reopened.getByTestId('change-summary').innerText()).toBe(summary);
    } finally {
      await reopened.close();
    }
  });

  it('encodes both months as Presto time steps in yearly mode', async () => {
    await page.getByTestId('model-presto').check();
    await page.getByTestId('resolution').selectOption('16');
    const yearly = page.getByTestId('time-series');
    expect(await yearly.isEnabled()).toBe(true);
    await yearly.check();
    expect(await page.getByTestId('encoder-picker').innerText()).toContain('2 months');
    await page.getByTestId('compute').click();
    // Both months are read and given to Presto as its time steps (T = 2); the spectral
    // embeddings stay on screen until these are complete.
    await expect
      .poll(() => page.getByTestId('embeddings-ready').innerText(), { timeout: 300_000, interval: 1000 })
      .toContain('2 time steps: 2022-06, 2022-08');
    expect(await page.getByTestId('encoder-info').innerText()).toContain('Presto, 128 features');
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor();
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
  });

  it('encodes both months as Galileo-nano dates in yearly mode (pixel mode, cloud masks per date)', async () => {
    await page.getByTestId('model-galileo-nano').check();
    await page.getByTestId('resolution').selectOption('16');
    const yearly = page.getByTestId('time-series');
    await yearly.check();
    expect(await page.getByTestId('encoder-picker').innerText()).toContain('2 months');
    await page.getByTestId('compute').click();
    await expect
      .poll(() => page.getByTestId('encoder-info').innerText(), { timeout: 300_000, interval: 1000 })
      .toContain('Galileo-nano, 128 features');
    expect(await page.getByTestId('embeddings-ready').innerText()).toContain(
      '2 time steps: 2022-06, 2022-08',
    );
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
