/**
 * Labelling by brush and by polygon in Chromium (Classify): a drag paints a stroke of point
 * labels that one Undo removes; a polygon closes by double-click or Enter and is one label;
 * Esc drops a polygon being drawn and the tool stays on; with the tools off a click queries.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openAppForSuite } from './page-helpers.ts';

const appUrl = inject('appUrl');

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
});
