import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { HAS_PACK, L1C_CODES, realBand, writeStack } from '../scene/stack-fixtures.ts';
import { openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');
if (!HAS_PACK) console.warn('files dialog e2e skipped: packs/s2-29rkh-2020-02 is absent (npm run pack:demo)');

describe.skipIf(!appUrl || !HAS_PACK)('the files dialog fills itself from the files (Chromium)', () => {
  let page: Page;
  let stack: string;
  let dated: string[];
  openAppForSuite(appUrl, (app) => ({ page } = app));
  beforeAll(async () => {
    // The file: 13 bands described B01..B12 (GDAL style), L1C, no offset, 2015.
    const bands = await Promise.all(L1C_CODES.map((c) => realBand(c)));
    stack = join(artifacts, 'l1c-stack.tif');
    writeFileSync(
      stack,
      writeStack(bands, {
        descriptions: L1C_CODES,
        metadata: {
          PROCESSING_LEVEL: 'Level-1C',
          PROCESSING_BASELINE: '02.01',
          DATATAKE_1_DATATAKE_SENSING_START: '2015-07-31T10:20:06.027Z',
        },
      }),
    );
    // Two dates of the same pixels (the second a little brighter), dated by their names only.
    dated = ['2015-07-31', '2015-08-20'].map((day, t) => {
      const path = join(artifacts, `stack_${day}.tif`);
      const scaled = bands.map((b) => b.map((v) => Math.round(v * (1 + 0.08 * t))));
      writeFileSync(path, writeStack(scaled, { descriptions: L1C_CODES, metadata: { BOA_ADD_OFFSET: '0' } }));
      return path;
    });
  });

  it('pre-fills band order, date and stored values from a 13-band stack, and loads it without being told', async () => {
    await page.getByLabel('Open GeoTIFF files').check();
    await page.getByTestId('file-input').setInputFiles([stack]);
    await expect
      .poll(() => page.getByTestId('band-order').inputValue(), { timeout: 30_000 })
      .toBe(L1C_CODES.join(','));
    expect(await page.getByTestId('file-date').inputValue()).toBe('2015-07-31');
    expect(await page.getByTestId('dn-convention').inputValue()).toBe('no-offset');
    const notes = (await page.getByTestId('file-note').allInnerTexts()).join('\n');
    expect(notes).toContain('Band order of l1c-stack.tif from its band descriptions.');
    expect(notes).toContain('PROCESSING_BASELINE = 02.01');
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('l1c-stack.tif');
    const info = await page.getByTestId('scene-info').innerText();
    expect(info).toContain('2015-07-31');
    expect(info).toContain('blue, green, red, rededge1, rededge2, rededge3, nir, nir08, swir16, swir22');
    expect(info).toMatch(/Skipped, no encoder reads them: .*B01, coastal aerosol.*B09, water vapour/);
    expect(info).toContain('Level-1C');
    await snapshot(page.getByTestId('map'), artifacts, '60-l1c-stack');
  });

  it('offers several dates for dropped files and encodes them with Presto as a time series', async () => {
    await page.getByTestId('file-input').setInputFiles(dated);
    await expect
      .poll(() => page.getByTestId('file-date-1').inputValue(), { timeout: 30_000 })
      .toBe('2015-08-20');
    expect(await page.getByTestId('several-dates').isChecked()).toBe(true);
    expect(await page.getByTestId('file-date-0').inputValue()).toBe('2015-07-31');
    await page.getByTestId('load-scene').click();
    await expect
      .poll(() => page.getByTestId('scene-info').innerText(), { timeout: 60_000 })
      .toContain('2 dates (2015-07-31, 2015-08-20): the newest is shown');
    await page.getByTestId('model-presto').check();
    await page.getByTestId('time-series').check();
    await page.getByTestId('compute').click();
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('embeddings-ready').innerText()).toContain(
      '2 time steps: 2015-07, 2015-08',
    );
    expect(await page.getByTestId('encoder-info').innerText()).toContain('Presto');
  });
});
