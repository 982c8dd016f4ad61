/**
 * Labelling by brush and by polygon in Chromium (Classify): a drag paints a stroke of point
 * labels that one Undo removes; a polygon closes by double-click or Enter and is one label;
 * Esc drops a polygon being drawn and the tool stays on; with the tools off a click queries.
 * The session file carries the classes and labels to another browser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openAppForSuite } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)('labelling tools: brush and polygon', () => {
  let page: Page;
  let errors: string[];
  openAppForSuite(appUrl, (app) => ({ page, errors } = app));

  it('a brush stroke is many labels and one undo; polygons close by double-click or Enter', async () => {
    await page.getByTestId('scene-info').waitFor({ timeout: 120_000 });
    const panel = page.getByTestId('classify-panel');
    await panel.getByTestId('class-name').fill('meadow');
    await panel.getByTestId('add-class').click();
    const count = () => panel.getByTestId('class-count').last().innerText();
    const map = (await page.getByTestId('map').boundingBox())!;
    const px = (fx: number, fy: number) => [map.x + map.width * fx, map.y + map.height * fy] as const;

    await panel.getByTestId('label-brush').check();
    await page.mouse.move(...px(0.4, 0.5));
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(...px(0.4 + i * 0.01, 0.5 + i * 0.004));
    await page.mouse.up();
    await expect.poll(async () => Number(await count())).toBeGreaterThanOrEqual(10);
    await panel.getByTestId('undo-label').click();
    await expect.poll(count).toBe('0');

    await panel.getByTestId('label-polygon').check();
    expect(await panel.getByTestId('label-brush').isChecked()).toBe(false);
    for (const [fx, fy] of [
      [0.3, 0.3],
      [0.4, 0.3],
    ] as const)
      await page.mouse.click(...px(fx, fy));
    await page.mouse.dblclick(...px(0.35, 0.4));
    await expect.poll(count).toBe('1');
    // Esc drops the polygon being drawn; the tool stays on and the next one closes by Enter.
    await page.mouse.click(...px(0.6, 0.6));
    await page.keyboard.press('Escape');
    for (const [fx, fy] of [
      [0.6, 0.6],
      [0.7, 0.6],
      [0.65, 0.7],
    ] as const)
      await page.mouse.click(...px(fx, fy));
    await page.keyboard.press('Enter');
    await expect.poll(count).toBe('2');
    await panel.getByTestId('label-polygon').uncheck();
    // Tools off: a click is a similarity query again, not a label.
    await page.mouse.click(...px(0.5, 0.5));
    expect(await count()).toBe('2');
    expect(errors).toEqual([]);
  });

  it('the session file carries the classes and labels; opened in another browser, they are back', async () => {
    // Sessions are saved 400 ms after the last change: wait until the saved one holds the labels.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            new Promise<number>((done, fail) => {
              const open = indexedDB.open('earth-embedding-explorer');
              open.onerror = () => fail(open.error);
              open.onsuccess = () => {
                const all = open.result.transaction('sessions').objectStore('sessions').getAll();
                all.onsuccess = () => {
                  open.result.close();
                  const saved = all.result as { labels?: { labels: unknown[] } }[];
                  done(Math.max(0, ...saved.map((x) => x.labels?.labels.length ?? 0)));
                };
                all.onerror = () => fail(all.error);
              };
            }),
        ),
      )
      .toBe(2);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /^Export .*dolomites/ })
        .first()
        .click(),
    ]);
    const file = join(artifacts, 'labels.session.json');
    await download.saveAs(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.classes).toEqual([{ name: 'meadow', colour: expect.stringMatching(/^#[0-9a-f]{6}$/) }]);
    expect(saved.labels.features.map((f: { geometry: { type: string } }) => f.geometry.type)).toEqual([
      'Polygon',
      'Polygon',
    ]);

    const context = await page.context().browser()!.newContext();
    try {
      const other = await context.newPage();
      await other.goto(appUrl);
      await other.getByTestId('sessions').waitFor();
      await other.getByTestId('session-import').setInputFiles(file);
      await expect.poll(() => other.getByTestId('session-message').innerText()).toContain('Imported');
      await other.getByTestId('session').getByRole('button', { name: 'Open' }).first().click();
      await other.getByTestId('scene-info').waitFor({ timeout: 120_000 });
      const panel = other.getByTestId('classify-panel');
      await expect
        .poll(() => panel.getByTestId('class-count').last().innerText(), { timeout: 30_000 })
        .toBe('2');
    } finally {
      await context.close();
    }
  });
});
