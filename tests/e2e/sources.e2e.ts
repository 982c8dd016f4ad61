import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_DATA_DIR, readSourceBand } from '../../scripts/pack-demo.ts';
import { writeCog } from '../../src/lib/cog/index.ts';
import { openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

describe.skipIf(!appUrl)('scene sources in Chromium', () => {
  let page: Page;
  let errors: string[];

  openAppForSuite(appUrl, (app) => ({ page, errors } = app));

  it('opens the 29RKH pack in Western Sahara, with its SCL mask', async () => {
    await page.getByTestId('pack-select').selectOption({ label: 's2-29rkh-2020-02' });
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('S2A_29RKH_20200219_0_L2A');
    const text = await page.getByTestId('scene-info').innerText();
    expect(text).toContain('EPSG:32629');
    expect(text).toContain('SCL');
    const [, lat, lon] = /centred on (-?[\d.]+), (-?[\d.]+)/.exec(text) ?? [];
    expect(Number(lat)).toBeGreaterThan(24.2);
    expect(Number(lat)).toBeLessThan(25.4);
    expect(Number(lon)).toBeGreaterThan(-12);
    expect(Number(lon)).toBeLessThan(-10.8);
    await snapshot(page.getByTestId('map'), artifacts, '20-29rkh');
  });

  it('opens dropped GeoTIFFs (the four Dolomites bands: Float32, LZW, stripped)', async () => {
    const dir = join(DEFAULT_DATA_DIR, 's2/dolomites-2022-06');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.tif'))
      .map((f) => join(dir, f));
    await page.getByLabel('Open GeoTIFF files').check();
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('dn-convention').selectOption('offset-1000');
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('4 file(s)');
    expect(await page.getByTestId('scene-info').innerText()).toContain('1059 × 934 px, EPSG:32632');
    const shot = await snapshot(page.getByTestId('map'), artifacts, '21-files');
    expect(shot.distinctColours).toBeGreaterThan(2000);
  });

  it('opens a multi-band GeoTIFF once told the order of its bands', async () => {
    const dir = join(DEFAULT_DATA_DIR, 's2/dolomites-2022-06');
    const layers = await Promise.all(
      ['b2', 'b3', 'b4', 'b8'].map((b) => readSourceBand(join(dir, `sentinel.dolomites.${b}.tif`))),
    );
    const first = layers[0]!;
    const file = join(artifacts, 'dolomites-4band.tif');
    const bands = layers.map((l) => l.data as Float32Array);
    writeFileSync(
      file,
      writeCog({
        width: first.grid.width,
        height: first.grid.height,
        bands,
        grid: first.grid,
        overviewResampling: 'average',
      }),
    );
    await page.getByTestId('file-input').setInputFiles([file]);
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('error').innerText(), { timeout: 60_000 })
      .toContain('holds 4 bands');
    await page.getByTestId('band-order').fill('B02,B03,B04,XX');
    expect(await page.getByTestId('load-scene').isDisabled()).toBe(true);
    await page.getByTestId('band-order').fill('B02,B03,B04,B08');
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('dolomites-4band.tif');
    expect(await page.getByTestId('scene-info').innerText()).toContain('blue, green, red, nir');
    await page.getByTestId('band-order').fill('');
  });

  it('explains a file it cannot use instead of failing silently', async () => {
    const before = await page.getByTestId('scene-info').innerText();
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'notes.tif', mimeType: 'image/tiff', buffer: Buffer.from('not a tiff') }]);
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('error').innerText(), { timeout: 30_000 })
      .toContain('notes.tif');
    // The scene loaded before is still there.
    expect(await page.getByTestId('scene-info').innerText()).toBe(before);
  });

  it('says clearly when Earth Search cannot be reached, without hanging', async () => {
    // The machine is offline by design; routing makes the failure immediate and certain.
    await page.route('https://earth-search.aws.element84.com/**', (route) =>
      route.abort('internetdisconnected'),
    );
    await page.getByLabel('Live Sentinel-2 (Earth Search)').check();
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('error').innerText(), { timeout: 30_000 })
      .toContain('Could not reach the STAC API');
    expect(await page.getByTestId('error').innerText()).toContain('offline pack');
    await snapshot(page.locator('aside'), artifacts, '22-offline-error');
  });

  it('logged no console errors other than the refused Earth Search request', () => {
    expect(
      errors.filter(
        (e) => !e.includes('ERR_INTERNET_DISCONNECTED') && !e.includes('Failed to load resource'),
      ),
    ).toEqual([]);
  });
});
