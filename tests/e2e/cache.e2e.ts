import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leaseChromium } from './chromium.ts';
import { snapshot, watchErrors } from './page-helpers.ts';

const appUrl = inject('appUrl');
const skipReason = inject('skipReason');
const artifacts = inject('artifactsDir');
if (skipReason) console.warn(skipReason);

interface Seen {
  method: string;
  path: string;
  range: string | undefined;
}

describe.skipIf(!appUrl)('tiles and embeddings kept in the browser, end to end in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  /** Every request the page and its workers send, as the browser reports them. */
  const seen: Seen[] = [];
  const cogRanges = () => seen.filter((r) => r.path.endsWith('.tif') && r.range !== undefined);
  const checks = () => seen.filter((r) => r.path.endsWith('.tif') && r.method === 'HEAD');
  let firstPlaces: string[] = [];

  beforeAll(async () => {
    browser = await leaseChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => localStorage.setItem('eee.tour', 'off'));
    page = await context.newPage();
    page.setDefaultTimeout(120_000);
    errors = watchErrors(page);
    page.on('request', (r) =>
      seen.push({ method: r.method(), path: new URL(r.url()).pathname, range: r.headers().range }),
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the app afresh (as a reload does) and waits for the start-up pack. */
  async function open(): Promise<string> {
    seen.length = 0;
    await page.goto(appUrl);
    await page.getByTestId('scene-info').waitFor();
    return page.getByTestId('scene-stats').innerText();
  }

  async function storage() {
    const used = page.getByTestId('storage-used');
    await used.waitFor();
    return {
      bytes: Number(await used.getAttribute('data-bytes')),
      budget: Number(await used.getAttribute('data-budget')),
      tiles: Number(await page.getByTestId('storage-tiles').getAttribute('data-entries')),
      embeddings: Number(await page.getByTestId('storage-embeddings').getAttribute('data-entries')),
    };
  }

  async function similarAtCentre(): Promise<string[]> {
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor();
    return page
      .getByTestId('place')
      .evaluateAll((els) =>
        els.map(
          (e) => `${e.getAttribute('data-col')},${e.getAttribute('data-row')} ${e.textContent?.trim()}`,
        ),
      );
  }

  it('a first visit fetches COG ranges from the server and keeps them, and the computed embeddings', async () => {
    const stats = await open();
    expect(cogRanges().length).toBeGreaterThan(0);
    expect(checks()).toEqual([]);
    expect(stats).toMatch(/fetched [\d.]+ MB in \d+ requests from the network/);
    expect(stats).not.toContain('from the cache');
    await expect.poll(async () => (await storage()).tiles, { timeout: 30_000 }).toBeGreaterThan(0);

    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor();
    await expect.poll(async () => (await storage()).embeddings, { timeout: 30_000 }).toBe(1);
    const kept = await storage();
    expect(kept.bytes).toBeGreaterThan(0);
    expect(kept.bytes).toBeLessThanOrEqual(kept.budget);
    firstPlaces = await similarAtCentre();
    expect(firstPlaces).toHaveLength(10);
    await snapshot(page.getByTestId('storage'), artifacts, 'cache-01-storage-first-visit');
  });

  it('after a reload no COG byte comes from the server; embeddings come from the cache; the similarity is identical', async () => {
    const stats = await open();
    expect(cogRanges()).toEqual([]);
    // One HEAD per band file asks whether it changed (the pack's four bands); no bytes.
    expect(checks().length).toBe(4);
    expect(stats).toMatch(
      /fetched 0\.0 MB in 4 requests from the network \(4 asking whether cached files changed\), [1-9][\d.]* MB from the cache/,
    );

    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor();
    expect(await page.getByTestId('notice').innerText()).toMatch(
      /^Embeddings from the cache \(computed \d{1,2} \w{3} \d{4}, \d\d:\d\d\)\.$/,
    );
    expect(await page.getByTestId('encoder-info').innerText()).toContain('13 features');
    await snapshot(page.locator('aside'), artifacts, 'cache-02-from-the-cache');
    expect(await similarAtCentre()).toEqual(firstPlaces);
    expect(cogRanges()).toEqual([]);
  });

  // The eviction test runs before "Clear cache": the cache then still holds what the first two
  // tests kept and used (the Dolomites tiles, then its embeddings, read back just now), so it
  // need not compute the embeddings a second time.
  it('a small budget evicts the least recently used entries; what was used last stays', async () => {
    // In the cache now: the Dolomites tiles; then its embeddings; then the 29RKH tiles.
    await expect.poll(async () => (await storage()).tiles, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByTestId('pack-select').selectOption({ label: 's2-29rkh-2020-02' });
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 120_000 })
      .toContain('29RKH');
    const before = await storage();
    expect(before.embeddings).toBe(1);
    expect(before.bytes).toBeGreaterThan(16e6);

    await page.getByTestId('storage-budget').selectOption('16000000');
    await expect
      .poll(() => page.getByTestId('storage-message').innerText())
      .toMatch(/^Budget set to 16\.0 MB\. \d+ least recently used entries were removed to fit\.$/);
    const after = await storage();
    expect(after.budget).toBe(16e6);
    expect(after.bytes).toBeLessThanOrEqual(16e6);
    expect(after.bytes).toBeGreaterThan(0);
    // The Dolomites tiles and embeddings were used before the 29RKH tiles: they went first.
    expect(after.embeddings).toBe(0);
    expect(after.tiles).toBeGreaterThan(0);
    expect(after.tiles).toBeLessThan(before.tiles);
    await snapshot(page.getByTestId('storage'), artifacts, 'cache-04-storage-small-budget');

    // 29RKH, used last, is still whole; the Dolomites pack is fetched again.
    seen.length = 0;
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-stats').innerText(), { timeout: 120_000 })
      .toMatch(/fetched 0\.0 MB .* MB from the cache/);
    expect(cogRanges()).toEqual([]);
    const stats = await open();
    expect(cogRanges().length).toBeGreaterThan(0);
    expect(stats).not.toContain('from the cache');
  });

  it('"Clear cache" empties it, and the next load fetches again and keeps it again', async () => {
    await page.getByTestId('storage-clear').click();
    await expect
      .poll(() => page.getByTestId('storage-message').innerText())
      .toMatch(/^Cleared \d+ entries \([\d.]+ MB\)\.$/);
    await expect.poll(async () => (await storage()).bytes).toBe(0);
    await snapshot(page.getByTestId('storage'), artifacts, 'cache-03-storage-cleared');

    const stats = await open();
    expect(cogRanges().length).toBeGreaterThan(0);
    expect(checks()).toEqual([]);
    expect(stats).not.toContain('from the cache');
    // A cleared cache still takes entries.
    await expect.poll(async () => (await storage()).tiles, { timeout: 30_000 }).toBeGreaterThan(0);
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
