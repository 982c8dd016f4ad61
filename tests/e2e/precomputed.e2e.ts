import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAppServer } from '../../scripts/app-server.ts';
import { DirServer } from '../precomputed/dir-server.ts';
import { tempDir } from '../precomputed/fixtures.ts';
import { leaseChromium } from './chromium.ts';
import { openApp, snapshot } from './page-helpers.ts';
import { buildPrecomputedFixtures } from './precomputed-fixtures.ts';

const packsDir = inject('packsDir');
const artifacts = inject('artifactsDir');

/**
 * Issue 11 in Chromium: precomputed embeddings (a STAC ItemCollection of two tiles of the
 * Dolomites pack's spectral embeddings, served by another origin the app allows) as a
 * source: estimate, compare with the on-device encoder on the same pixels, load, click,
 * change between two years, a bad URL, and a link to them over an area with no scene.
 */
describe.skipIf(!packsDir)('precomputed embeddings in the app', () => {
  let browser: Browser;
  let app: { server: Server; url: string };
  const fixtures = new DirServer(tempDir('precomputed-e2e'));
  let page: Page;
  let errors: string[];
  const collection = () => `${fixtures.url}/collection.json`;

  beforeAll(async () => {
    await buildPrecomputedFixtures(join(packsDir, 'dolomites-2022-06'), fixtures.root);
    await fixtures.start();
    app = await startAppServer({
      distDir: join(dirname(packsDir), 'dist'),
      packsDir,
      connectOrigins: [fixtures.url],
    });
    browser = await leaseChromium();
    ({ page, errors } = await openApp(browser, `${app.url}/?pack=dolomites-2022-06`));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fixtures.stop();
    app?.server.closeAllConnections();
    await new Promise((done) => app?.server.close(done));
  });

  async function clickMapCentre(): Promise<void> {
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.55);
  }

  it('estimates, then compares the collection with the on-device encoder on the same pixels', async () => {
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
    await page.getByTestId('precomputed').locator('summary').click();
    // AlphaEarth is the first product listed; these fixtures are an embedding collection.
    await page.getByTestId('pre-product').selectOption('collection');
    await page.getByTestId('pre-url').fill(collection());
    await page.getByTestId('pre-url').dispatchEvent('change');
    await page.getByTestId('pre-estimate').click();
    const estimate = await page.getByTestId('pre-estimate-text').innerText();
    expect(estimate).toContain('1,059 × 934 px at 10 m (EPSG:32632)');
    expect(estimate).toContain('13 dimensions, 2 file(s)');
    // The collection's years are offered once it is read.
    expect(await page.getByTestId('pre-year').locator('option').allInnerTexts()).toEqual(['2022', '2023']);
    await page.getByTestId('pre-year').selectOption('2022');
    await page.getByTestId('pre-compare').click();
    await page.getByTestId('compare-panel').waitFor({ timeout: 120_000 });
    await clickMapCentre();
    await expect.poll(() => page.getByTestId('agreement').count(), { timeout: 120_000 }).toBe(1);
    const text = await page.getByTestId('agreement').innerText();
    const [, rho] = /Spearman\) ([-\d.]+)/.exec(text) ?? [];
    const [, shared] = /shared: (\d+) of 10/.exec(text) ?? [];
    // The same spectral encoder on the same pixels (CLI vs browser): the maps agree.
    expect(Number(rho)).toBeGreaterThan(0.99);
    expect(Number(shared)).toBeGreaterThanOrEqual(8);
    await snapshot(page.locator('aside'), artifacts, '80-precomputed-compare');
  }, 400_000);

  it('loads the collection as the embeddings on screen: a click gives a similarity map', async () => {
    await page.getByTestId('pre-load').click();
    await expect
      .poll(() => page.getByTestId('encoder-info').innerText(), { timeout: 120_000 })
      .toContain('spectral 2022');
    expect(await page.getByTestId('pre-loaded').innerText()).toMatch(/spectral 2022: 2 file\(s\)/);
    await clickMapCentre();
    await page.getByTestId('place').first().waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
    // The link names the product, base URL and year.
    const search = new URL(page.url()).searchParams;
    expect(search.get('emb')).toBe('collection');
    expect(search.get('emb_url')).toBe(collection());
    expect(search.get('emb_year')).toBe('2022');
    await snapshot(page.getByTestId('map'), artifacts, '81-precomputed-similarity');
  }, 300_000);

  it('maps the change to 2023 as a layer: only the block that changed', async () => {
    await page.getByTestId('pre-change-year').selectOption('2023');
    await page.getByTestId('pre-change').click();
    await page.getByTestId('change-summary').waitFor({ timeout: 120_000 });
    const summary = await page.getByTestId('change-summary').innerText();
    const [, min, max, km2] = /([\d.]+) to ([\d.]+); ([\d.]+) km²/.exec(summary) ?? [];
    expect(Number(min)).toBeLessThan(1e-3);
    expect(Number(max)).toBeGreaterThan(0.05);
    // The 100 x 100 px block of 10 m pixels is 1 km².
    expect(Number(km2)).toBeGreaterThan(0.5);
    expect(Number(km2)).toBeLessThanOrEqual(1.01);
  }, 300_000);

  it('a bad URL says so clearly, and the embeddings on screen stay', async () => {
    await page.getByTestId('pre-url').fill(`${fixtures.url}/nothing-here.json`);
    await page.getByTestId('pre-url').dispatchEvent('change');
    await page.getByTestId('pre-load').click();
    await expect
      .poll(() => page.getByTestId('pre-error').innerText(), { timeout: 60_000 })
      .toContain('There is no embedding collection at');
    expect(await page.getByTestId('embeddings-ready').count()).toBe(1);
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  }, 120_000);

  it('a link to embeddings over an area, on another origin, asks first and loads with no scene', async () => {
    const link = new URLSearchParams({
      emb: 'collection',
      emb_url: collection(),
      emb_year: '2022',
      emb_bbox: '12.15,46.56,12.18,46.58',
    });
    const other = await openApp(browser, `${app.url}/?${link}`, { waitForScene: false });
    await expect
      .poll(() => other.page.locator('#pre-ask').innerText(), { timeout: 60_000 })
      .toContain(new URL(fixtures.url).host);
    await other.page.getByTestId('pre-ask').getByRole('button', { name: 'Load', exact: true }).click();
    await expect.poll(() => other.page.getByTestId('pre-loaded').count(), { timeout: 120_000 }).toBe(1);
    expect(await other.page.getByTestId('scene-info').count()).toBe(0);
    // The year choice shows the collection's years, the linked one chosen.
    expect(await other.page.getByTestId('pre-year').inputValue()).toBe('2022');
    await snapshot(other.page.locator('body'), artifacts, '82-precomputed-link');
    await other.page.context().close();
  }, 200_000);
});
