import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leaseChromium } from './chromium.ts';
import { openApp, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/**
 * Issue 18, items 10 and 12: what the app keeps across a reload when storage is full, and
 * when embeddings were computed with nothing clicked or clustered yet.
 */
describe.skipIf(!appUrl)('keeping a session', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await leaseChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('embeddings computed with no click and no clusters survive a reload, and the link keeps the model', async () => {
    const { page } = await openApp(browser, appUrl);
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('model=');
    const linked = new URL(page.url()).searchParams.get('model');
    await page.reload();
    await page.getByTestId('scene-info').waitFor();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
    expect(new URL(page.url()).searchParams.get('model')).toBe(linked);
    await page.context().close();
  });

  it('sessions that stop being saved are said once, and the session is offered as a file', async () => {
    const { page } = await openApp(browser, appUrl);
    // Saving works first (this session is listed once saved).
    await page.getByTestId('session').first().waitFor({ timeout: 30_000 });
    // A real storage failure: the site's data cleared while the app runs, which closes its
    // IndexedDB connection. (A full quota cannot be forced here: Chromium 156 ignores
    // Storage.overrideQuotaForOrigin; the quota message is covered in tests/state.)
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', {
      origin: new URL(appUrl).origin,
      storageTypes: 'indexeddb',
    });
    await page.locator('body').press('2');
    const alert = page.getByTestId('session-save-failed');
    await alert.waitFor({ timeout: 30_000 });
    const text = await alert.innerText();
    expect(text).toContain('no longer saved');
    expect(text).toContain("closed this site's storage");
    expect(text).toContain('Export it as a file');
    await snapshot(page.getByTestId('sessions'), artifacts, '61-session-save-failed');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      alert.getByRole('button', { name: 'Export this session' }).click(),
    ]);
    const file = join(artifacts, 'unsaved-session.json');
    await download.saveAs(file);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { link: string };
    expect(saved.link).toContain('pack=dolomites-2022-06');
    expect(saved.link).toContain('view=');
    // Later changes fail too, but the message is not repeated.
    await page.locator('body').press('3');
    await page.locator('body').press('1');
    await expect.poll(() => page.getByTestId('session-save-failed').count()).toBe(1);
    await page.context().close();
  });
});
