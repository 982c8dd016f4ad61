import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/**
 * A link whose bbox is far larger than its pack (issue 18, case 11): it said "None of the
 * scenes found overlaps the chosen area" though the pack lies inside. The area is clipped to
 * the pack and the pack's scene opens.
 */
describe.skipIf(!appUrl)('a pack link with a bbox larger than the pack', () => {
  let page: Page;
  let errors: string[];

  openAppForSuite(`${appUrl}?pack=dolomites-2022-06&bbox=0,40,20,50`, (app) => ({ page, errors } = app), {
    waitForScene: false,
  });

  it('opens the pack, not "None of the scenes found overlaps the chosen area"', async () => {
    await expect
      .poll(
        async () => {
          const error = page.getByTestId('error');
          if (await error.count()) return `error: ${await error.innerText()}`;
          const info = page.getByTestId('scene-info');
          return (await info.count()) ? await info.innerText() : '';
        },
        { timeout: 180_000, interval: 1000 },
      )
      .toContain('dolomites-2022-06');
    expect(await page.getByTestId('error').count()).toBe(0);
    // The estimate is of the part over the pack (about 11 x 10 km), not of 1574 x 1113 km.
    const estimate = await page.getByTestId('area-estimate').innerText();
    expect(estimate).toMatch(/^Over the pack: \d{1,2}\.\d × \d{1,2}\.\d km/);
    expect(await page.getByTestId('area-warning').count()).toBe(0);
    await snapshot(page.locator('aside'), artifacts, '40-pack-link-large-bbox');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
