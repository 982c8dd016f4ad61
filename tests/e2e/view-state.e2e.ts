import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../../scripts/pack-demo.ts';
import { changedFraction, downloads, mapUntil, openApp, openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/** The layer panel's rows, top first. */
function layerRows(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid^="layer-"]')
    .evaluateAll((els) => els.map((e) => (e.getAttribute('data-testid') ?? '').replace('layer-', '')));
}

function hasGdal(): boolean {
  try {
    execFileSync('gdalinfo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Issue 14, items 2, 4, 5, 7, 8 and 9 on the Dolomites pack in Chromium: layer order, links
 * from dropped files, reload keeping the view, pixel estimates equal to the load, the scene
 * list and change panel of a one-date pack, k-means convergence, and self-describing exports.
 */
describe.skipIf(!appUrl)('the view as the analyst left it (issue 14)', () => {
  let browser: Browser;
  let page: Page;
  openAppForSuite(appUrl, (app) => ({ browser, page } = app));

  it('a whole pack: the estimate counts the pixels loaded, its only scene covers 100%', async () => {
    const estimate = page.getByTestId('area-estimate');
    await expect.poll(() => estimate.innerText(), { timeout: 60_000 }).toContain('Whole pack');
    expect(await page.getByTestId('scene-info').innerText()).toContain('1059 × 934 px');
    // 1059 x 934 = 989,106: the estimate said 985,867 (the footprint's area in km² / 100 m²).
    expect(await estimate.innerText()).toContain('989,106 pixels at 10 m');
    await page.getByTestId('find-scenes').click();
    const list = page.getByTestId('scene-list');
    await expect.poll(() => list.innerText(), { timeout: 60_000 }).toContain('covers 100.0%');
  });

  it('with one date the change panel says there is no other; k-means k = 5 converges', async () => {
    // Estimates are a guess until the encoder has run here; the first run measures the device.
    expect(await page.getByTestId('estimate-basis').innerText()).toContain('a guess');
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 300_000 });
    await expect
      .poll(() => page.getByTestId('estimate-basis').innerText(), { timeout: 30_000 })
      .toContain('measured on this device');
    const option = await page.getByTestId('resolution').locator('option').first().innerText();
    expect(option).toMatch(/989,106 px, ~\d+(–\d+)? (s|min)/);
    const none = page.getByTestId('change-no-other-date');
    await none.waitFor({ timeout: 30_000 });
    expect(await none.innerText()).toContain('no other date');
    await page.getByTestId('k').fill('5');
    await page.getByTestId('cluster').click();
    await page.getByTestId('cluster-legend').locator('li').nth(4).waitFor({ timeout: 300_000 });
    const summary = await page.getByTestId('kmeans-summary').innerText();
    expect(summary).toContain('converged after');
    expect(summary).not.toContain('stopped');
  });

  it('the newest result comes to the top; the user reorders layers; the snapshot has every legend', async () => {
    const clusters = await mapUntil(page, artifacts, '70-clusters', (s) => s.distinctColours > 5);
    await page.getByTestId('pca').click();
    await page.getByTestId('pca-explained').waitFor({ timeout: 120_000 });
    // PCA colours chosen with clusters on: they are drawn over them (they used to lie beneath).
    const pca = await mapUntil(
      page,
      artifacts,
      '71-pca-over-clusters',
      (s) => changedFraction(clusters, s) > 0.3,
    );
    expect(changedFraction(clusters, pca)).toBeGreaterThan(0.3);
    expect((await layerRows(page)).slice(0, 2)).toEqual(['pca', 'clusters']);
    expect(await page.getByTestId('layer-clusters').getByRole('checkbox').isChecked()).toBe(true);

    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('place').first().waitFor({ timeout: 60_000 });
    expect((await layerRows(page)).slice(0, 3)).toEqual(['similarity', 'pca', 'clusters']);

    // Clusters to the top, by the layer panel's buttons.
    const before = await snapshot(page.getByTestId('map'), artifacts, '72-before-reorder');
    await page.getByTestId('up-clusters').click();
    await page.getByTestId('up-clusters').click();
    expect((await layerRows(page)).slice(0, 3)).toEqual(['clusters', 'similarity', 'pca']);
    expect(await page.getByTestId('up-clusters').isDisabled()).toBe(true);
    const after = await mapUntil(
      page,
      artifacts,
      '73-clusters-on-top',
      (s) => changedFraction(before, s) > 0.3,
    );
    expect(changedFraction(before, after)).toBeGreaterThan(0.3);

    const files = await downloads(page, 1, () => page.getByTestId('export-snapshot').click());
    const [name, bytes] = [...files][0]!;
    writeFileSync(join(artifacts, '74-snapshot-three-legends.png'), bytes);
    const png = PNG.sync.read(bytes);
    const canvas = await page
      .locator('[data-testid="map"] canvas')
      .first()
      .evaluate((c) => (c as HTMLCanvasElement).height);
    // Three legends (clusters, similarity colour bar, PCA) under the map, not one.
    expect(png.height - canvas).toBeGreaterThan(150);
    expect(name).toMatch(/^map_spectral-10m_dolomites-2022-06/);
  });

  it('exports name the model and resolution; GDAL reads metadata and the cluster names', async () => {
    const name = page.getByLabel('Name of cluster 0');
    await name.fill('pasture');
    await name.press('Enter');
    const files = await downloads(page, 2, () => page.getByTestId('export-clusters-geotiff').click());
    const tif = [...files.keys()].find((f) => f.endsWith('.tif'))!;
    expect(tif).toMatch(/^clusters_k5_spectral-10m_dolomites-2022-06_2022-06-\d\d\.tif$/);
    const aux = files.get(`${tif}.aux.xml`)?.toString('utf8') ?? '';
    expect(aux).toContain('<Category>pasture</Category>');
    expect(aux).toContain('<Category>cluster 4</Category>');
    if (!hasGdal()) {
      console.warn(
        'gdalinfo not installed (apt-get install gdal-bin): the GDAL reading of the export is skipped',
      );
      return;
    }
    const path = join(artifacts, tif);
    writeFileSync(path, files.get(tif)!);
    writeFileSync(`${path}.aux.xml`, aux);
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8' }));
    expect(info.metadata['']).toMatchObject({
      MODEL: 'spectral',
      RESOLUTION_M: '10',
      SOURCE: 'pack dolomites-2022-06',
    });
    expect(info.metadata[''].DATETIME).toMatch(/^2022-06/);
    // Value i in the file is "cluster i" in the app's legend.
    expect(info.bands[0].categories).toEqual(['pasture', 'cluster 1', 'cluster 2', 'cluster 3', 'cluster 4']);
  });

  it('a reload keeps every piece of the view', async () => {
    await page.getByLabel('Show cluster 2').uncheck();
    await page.getByTestId('layer-similarity').getByRole('checkbox').uncheck();
    await page.getByLabel('Clusters opacity').fill('0.4');
    const threshold = page.getByTestId('threshold');
    const max = Number(await threshold.getAttribute('max'));
    const min = Number(await threshold.getAttribute('min'));
    const chosen = (min + 3 * max) / 4;
    await threshold.fill(String(chosen));
    const shown = Number(await threshold.inputValue());
    const rows = await layerRows(page);
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('hide=2');
    const url = new URL(page.url());
    expect(url.searchParams.get('off')).toBe('similarity');
    expect(url.searchParams.get('pca')).toBe('1');
    expect(url.searchParams.get('op')).toBe('clusters:0.4');
    expect(url.searchParams.get('order')).toMatch(/^clusters,similarity,pca/);

    await page.reload();
    await page.getByTestId('cluster-legend').locator('li').nth(4).waitFor({ timeout: 300_000 });
    await page.getByTestId('pca-explained').waitFor({ timeout: 120_000 });
    await page.getByTestId('place').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => layerRows(page), { timeout: 30_000 }).toEqual(rows);
    // Each piece, one by one.
    expect(await page.getByTestId('k').inputValue()).toBe('5');
    expect(await page.getByLabel('Show cluster 2').isChecked()).toBe(false);
    expect(await page.getByLabel('Show cluster 1').isChecked()).toBe(true);
    expect(await page.getByTestId('layer-similarity').getByRole('checkbox').isChecked()).toBe(false);
    expect(await page.getByTestId('layer-pca').getByRole('checkbox').isChecked()).toBe(true);
    expect(Number(await page.getByLabel('Clusters opacity').inputValue())).toBe(0.4);
    expect(Number(await page.getByTestId('threshold').inputValue())).toBeCloseTo(shown, 3);
    await expect
      .poll(() => page.getByLabel('Name of cluster 0').inputValue(), { timeout: 30_000 })
      .toBe('pasture');
    await snapshot(page.locator('body'), artifacts, '75-after-reload');
  });

  it('a link from dropped files says so, names them, and runs its query once they are given', async () => {
    const dir = join(DEFAULT_DATA_DIR, 's2/dolomites-2022-06');
    const names = readdirSync(dir).filter((f) => f.endsWith('.tif'));
    const link = `${appUrl}?files=${names.join('/')}&dn=offset-1000&model=spectral&q=12.2,46.57`;
    const { page: other } = await openApp(browser, link, { waitForScene: false });
    try {
      const ask = other.getByTestId('link-files');
      await ask.waitFor({ timeout: 60_000 });
      const text = await ask.innerText();
      expect(text).toContain('Nothing was loaded');
      for (const n of names) expect(text).toContain(n);
      // Not the default pack behind the user's back.
      expect(await other.getByTestId('scene-info').count()).toBe(0);
      await other.getByTestId('link-files-input').setInputFiles(names.map((n) => join(dir, n)));
      await other.getByTestId('place').first().waitFor({ timeout: 300_000 });
      expect(await other.getByTestId('scene-info').innerText()).toContain('4 file(s)');
      expect(await other.getByTestId('link-files').count()).toBe(0);
      await expect.poll(() => new URL(other.url()).searchParams.get('files')).toBe(names.join('/'));
      await snapshot(other.locator('body'), artifacts, '76-files-link');
    } finally {
      await other.context().close();
    }
  });

  it('a link made with another version of the model says so, and still once its results are on screen', async () => {
    // A link from before a model's files changed (their SHA-256 differs): the app's Presto runs.
    const link = `${appUrl}?pack=dolomites-2022-06&res_m=80&model=presto@000000000000&q=12.2,46.57`;
    const { page: other } = await openApp(browser, link);
    try {
      await other.getByTestId('place').first().waitFor({ timeout: 300_000 });
      // Starting the encode and the query cleared every notice, this one included.
      await expect
        .poll(
          () =>
            other
              .getByTestId('notice')
              .innerText({ timeout: 1000 })
              .catch(() => ''),
          { timeout: 30_000 },
        )
        .toMatch(
          /made with another version of Presto \(SHA-256 000000000000…\): results may differ slightly/,
        );
    } finally {
      await other.context().close();
    }
  });

  it('a typed area: the estimate counts the pixels the load holds', async () => {
    const { page: other } = await openApp(browser, appUrl);
    try {
      await other.getByTestId('area').fill('12.17, 46.55, 12.21, 46.58');
      const estimate = await other.getByTestId('area-estimate').innerText();
      const pixels = Number(/([\d,]+) pixels at 10 m/.exec(estimate)?.[1]?.replace(/,/g, ''));
      await other.getByTestId('load-scene').click();
      await expect
        .poll(() => other.getByTestId('scene-info').innerText(), { timeout: 60_000 })
        .not.toContain('1059 × 934 px');
      const [, w, h] = /(\d+) × (\d+) px/.exec(await other.getByTestId('scene-info').innerText()) ?? [];
      expect(Number(w) * Number(h)).toBe(pixels);
    } finally {
      await other.context().close();
    }
  });
});
