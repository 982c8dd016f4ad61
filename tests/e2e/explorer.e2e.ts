import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import type { Browser, Download, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, inject, it } from 'vitest';
import {
  changedFraction,
  mapUntil,
  openAppForSuite,
  type PixelStats,
  snapshot,
  watchErrors,
} from './page-helpers.ts';

const appUrl = inject('appUrl');
const skipReason = inject('skipReason');
const artifacts = inject('artifactsDir');
if (skipReason) console.warn(skipReason);

/** Pixels of the basemap's outline colour (basemap.ts: [120, 140, 170], antialiased). */
function outlinePixels(s: PixelStats): number {
  let n = 0;
  const d = s.png.data;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i]! - 120) < 24 && Math.abs(d[i + 1]! - 140) < 24 && Math.abs(d[i + 2]! - 170) < 24) n++;
  }
  return n;
}

describe.skipIf(!appUrl)('the explorer, end to end in Chromium, on the Dolomites demo pack', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  openAppForSuite(appUrl, (app) => ({ browser, page, errors } = app), { waitForScene: false });

  it('opens the pack at start-up and draws real imagery in the right place', async () => {
    const info = page.getByTestId('scene-info');
    await info.waitFor({ timeout: 60_000 });
    const text = await info.innerText();
    expect(text).toContain('dolomites-2022-06');
    expect(text).toContain('1059 × 934 px, EPSG:32632');
    // Centre of the scene: 46.580 N, 12.206 E, next to Cortina d'Ampezzo (46.54 N, 12.14 E).
    const [, lat, lon] = /centred on (-?[\d.]+), (-?[\d.]+)/.exec(text) ?? [];
    expect(Number(lat)).toBeCloseTo(46.58, 2);
    expect(Number(lon)).toBeCloseTo(12.206, 2);
    const shot = await mapUntil(page, artifacts, '01-imagery', (s) => s.distinctColours > 2000);
    expect(shot.distinctColours).toBeGreaterThan(2000);
    expect(Math.max(...shot.mean)).toBeGreaterThan(30);
  });

  it('computes embeddings in the worker with progress, and can cancel', async () => {
    await page.getByTestId('compute').click();
    await page.getByTestId('progress').waitFor();
    await page.getByTestId('cancel').click();
    await expect
      .poll(() => page.getByTestId('notice').innerText(), { timeout: 30_000 })
      .toContain('cancelled');
    expect(await page.getByTestId('embeddings-ready').count()).toBe(0);

    await page.getByTestId('compute').click();
    const counts = page.getByTestId('progress-count');
    await counts.waitFor({ timeout: 30_000 });
    expect(await counts.innerText()).toMatch(/[\d,]+ \/ 989,106/);
    await page.getByTestId('embeddings-ready').waitFor({ timeout: 120_000 });
    const encoder = await page.getByTestId('encoder-info').innerText();
    expect(encoder).toContain('13 features');
    expect(encoder).toContain('wasm');
    await snapshot(page.locator('aside'), artifacts, '02-embeddings-panel');
  });

  it('a click shows the similarity heat map and the 10 most similar places, led by the clicked pixel', async () => {
    const before = await snapshot(page.getByTestId('map'), artifacts, '03-before-click');
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const places = page.getByTestId('place');
    await places.first().waitFor({ timeout: 30_000 });
    expect(await places.count()).toBe(10);
    const query = page.getByTestId('query');
    const first = places.first();
    expect(await first.getAttribute('data-col')).toBe(await query.getAttribute('data-col'));
    expect(await first.getAttribute('data-row')).toBe(await query.getAttribute('data-row'));
    expect(await page.getByTestId('place-score').first().innerText()).toBe('1.0000');
    const scores = (await page.getByTestId('place-score').allInnerTexts()).map(Number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // The spectral encoder's texture and log features keep near-identical spectra apart: only
    // the clicked pixel itself reads 1.0000 (the first design showed ten of them).
    const texts = await page.getByTestId('place-score').allInnerTexts();
    expect(texts.filter((t) => t === '1.0000').length).toBeLessThanOrEqual(2);
    await page.getByTestId('similarity-legend').waitFor();
    const after = await mapUntil(page, artifacts, '04-similarity', (s) => changedFraction(before, s) > 0.05);
    expect(changedFraction(before, after)).toBeGreaterThan(0.05);

    // Raising the threshold hides part of the heat map, from the same score texture: the move
    // changes the layer's uniforms and uploads nothing (ScoreLayer's onScoresUploaded).
    const uploads = await page.getByTestId('map').getAttribute('data-score-uploads');
    expect(Number(uploads)).toBeGreaterThan(0);
    const slider = page.getByTestId('threshold');
    await slider.fill('0.99');
    const higher = await mapUntil(page, artifacts, '05-threshold', (s) => changedFraction(after, s) > 0.01);
    expect(changedFraction(after, higher)).toBeGreaterThan(0.01);
    expect(await page.getByTestId('map').getAttribute('data-score-uploads')).toBe(uploads);

    // A place in the list flies the map there.
    await places.nth(3).click();
    const flown = await mapUntil(page, artifacts, '06-fly-to', (s) => changedFraction(higher, s) > 0.3);
    expect(changedFraction(higher, flown)).toBeGreaterThan(0.3);
  });

  it('clusters with k-means and shows a legend with k entries; layers toggle', async () => {
    const before = await snapshot(page.getByTestId('map'), artifacts, '07-before-cluster');
    await page.getByTestId('k').fill('6');
    await page.getByTestId('cluster').click();
    const legend = page.getByTestId('cluster-legend').locator('li');
    await legend.first().waitFor({ timeout: 60_000 });
    expect(await legend.count()).toBe(6);
    await page.getByTestId('k').fill('4');
    await page.getByTestId('seed').fill('7');
    await page.getByTestId('cluster').click();
    await expect.poll(() => legend.count(), { timeout: 60_000 }).toBe(4);

    // Hide the similarity layer so the clusters show, then compare with the clusters hidden too.
    await page.getByTestId('layer-similarity').getByRole('checkbox').uncheck();
    const clusters = await mapUntil(page, artifacts, '08-clusters', (s) => changedFraction(before, s) > 0.2);
    expect(changedFraction(before, clusters)).toBeGreaterThan(0.2);
    await page.getByTestId('layer-clusters').getByRole('checkbox').uncheck();
    const imageryOnly = await mapUntil(
      page,
      artifacts,
      '09-clusters-hidden',
      (s) => changedFraction(clusters, s) > 0.2,
    );
    expect(changedFraction(clusters, imageryOnly)).toBeGreaterThan(0.2);
    await page.getByTestId('layer-clusters').getByRole('checkbox').check();
    await page.getByTestId('layer-clusters').getByRole('slider').fill('0.3');
    const faded = await mapUntil(
      page,
      artifacts,
      '10-clusters-faded',
      (s) => changedFraction(clusters, s) > 0.1,
    );
    expect(changedFraction(clusters, faded)).toBeGreaterThan(0.1);
  });

  it('switches imagery views and shows the offline basemap', async () => {
    await page.getByTestId('layer-similarity').getByRole('checkbox').check();
    const before = await snapshot(page.getByTestId('map'), artifacts, '11-before-view');
    await page.getByTestId('composite').selectOption('false-colour');
    await page.getByTestId('layer-clusters').getByRole('checkbox').uncheck();
    await page.getByTestId('layer-similarity').getByRole('checkbox').uncheck();
    const falseColour = await mapUntil(
      page,
      artifacts,
      '12-false-colour',
      (s) => changedFraction(before, s) > 0.2,
    );
    expect(changedFraction(before, falseColour)).toBeGreaterThan(0.2);
    // Vegetation is bright in near-infrared: the false-colour view is redder than it is green.
    expect(falseColour.mean[0]).toBeGreaterThan(falseColour.mean[1]);
    expect(await page.getByTestId('basemap-note').innerText()).toContain('Natural Earth');
    // (Text and markers alone give ~700 colours; the imagery thousands.)
    // With the imagery hidden and the map zoomed out to the Alps, the outlines show: Italy's
    // borders with Austria lie in view (the app draws the 1:50m polygons near the view only).
    await page.getByTestId('layer-imagery').getByRole('checkbox').uncheck();
    const bare = await mapUntil(page, artifacts, '12a-imagery-hidden', (s) => s.distinctColours < 1500);
    expect(bare.distinctColours).toBeLessThan(1500);
    // Antialiased text and buttons have a few pixels of that colour too: count above them.
    const base = outlinePixels(bare);
    const box = await page.getByTestId('map').boundingBox();
    if (!box) throw new Error('the map has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 600);
    const borders = await mapUntil(
      page,
      artifacts,
      '12b-country-outlines',
      (s) => outlinePixels(s) > base + 150,
    );
    expect(outlinePixels(borders)).toBeGreaterThan(base + 150);
    await page.getByTestId('layer-imagery').getByRole('checkbox').check();
  });

  it('a shared link rebuilds the same view in a fresh browser context', async () => {
    const link = page.url();
    expect(link).toContain('pack=dolomites-2022-06');
    expect(link).toMatch(/[?&]q=/);
    expect(link).toContain('k=4');
    expect(link).toContain('seed=7');
    const places = await page
      .getByTestId('place')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-col')},${e.getAttribute('data-row')}`));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const other = await context.newPage();
      const otherErrors = watchErrors(other);
      await other.goto(link);
      await other.getByTestId('cluster-legend').locator('li').nth(3).waitFor({ timeout: 120_000 });
      await other.getByTestId('place').first().waitFor({ timeout: 30_000 });
      const otherPlaces = await other
        .getByTestId('place')
        .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-col')},${e.getAttribute('data-row')}`));
      expect(otherPlaces).toEqual(places);
      expect(await other.getByTestId('composite').inputValue()).toBe('false-colour');
      // The boxes say what made the legend: k 4 and seed 7 (the seed box said 1).
      expect(await other.getByTestId('k').inputValue()).toBe('4');
      expect(await other.getByTestId('seed').inputValue()).toBe('7');
      await snapshot(other.locator('body'), artifacts, '13-shared-link');
      expect(otherErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('exports every product as a file that reads back', async () => {
    const save = async (testId: string): Promise<string> => {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 120_000 }),
        page.getByTestId(testId).click(),
      ]);
      const file = join(artifacts, download.suggestedFilename());
      await download.saveAs(file);
      return file;
    };
    // The cluster GeoTIFF comes with its .aux.xml (GDAL's category names): two downloads.
    const pair: Download[] = [];
    const take = (d: Download) => pair.push(d);
    page.on('download', take);
    await page.getByTestId('export-clusters-geotiff').click();
    await expect.poll(() => pair.length, { timeout: 120_000 }).toBe(2);
    page.off('download', take);
    const tif = pair.find((d) => d.suggestedFilename().endsWith('.tif'))!;
    const tifPath = join(artifacts, tif.suggestedFilename());
    await tif.saveAs(tifPath);
    const clusters = await fromFile(tifPath);
    const image = await clusters.getImage();
    expect([image.getWidth(), image.getHeight()]).toEqual([1059, 934]);
    expect(image.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32632);
    expect(image.getOrigin().slice(0, 2)).toEqual([740350, 5168160]);
    const labels = (await image.readRasters({ interleave: true })) as unknown as Uint8Array;
    expect(new Set(labels).size).toBe(4);

    const polygons = JSON.parse(readFileSync(await save('export-clusters-geojson'), 'utf8')) as {
      features: { properties: { name: string } }[];
    };
    expect(polygons.features.map((f) => f.properties.name)).toContain('cluster 2');

    const similarity = await (await fromFile(await save('export-similarity-geotiff'))).getImage();
    const scores = (await similarity.readRasters({ interleave: true })) as unknown as Float32Array;
    expect(scores.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), -Infinity)).toBeCloseTo(1, 5);

    const area = JSON.parse(readFileSync(await save('export-threshold-geojson'), 'utf8')) as {
      type: string;
      features: unknown[];
    };
    expect(area.type).toBe('FeatureCollection');
    expect(area.features.length).toBeGreaterThan(0);

    const csv = readFileSync(await save('export-places-csv'), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe('rank,lon,lat,score,col,row');
    expect(csv).toHaveLength(11);

    const embeddings = await (await fromFile(await save('export-embeddings-int8'))).getImage();
    expect(embeddings.getSamplesPerPixel()).toBe(13);

    const png = PNG.sync.read(readFileSync(await save('export-snapshot')));
    expect(png.width).toBeGreaterThan(600);
  });

  it('a reload loses nothing; sessions export to a file and import elsewhere', async () => {
    const name = page.getByLabel('Name of cluster 0');
    await name.fill('pasture');
    await name.press('Enter');
    // The session is saved to IndexedDB 400 ms after the last change: wait for that save
    // itself rather than a fixed second, then reload.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            new Promise<string[]>((done, fail) => {
              const open = indexedDB.open('earth-embedding-explorer');
              open.onerror = () => fail(open.error);
              open.onsuccess = () => {
                try {
                  const all = open.result.transaction('sessions').objectStore('sessions').getAll();
                  all.onerror = () => fail(all.error);
                  all.onsuccess = () => {
                    open.result.close();
                    done((all.result as { clusterNames: string[] }[]).map((x) => x.clusterNames[0] ?? ''));
                  };
                } catch (error) {
                  fail(error);
                }
              };
            }),
        ),
      )
      .toContain('pasture');
    await page.reload();
    await page.getByTestId('cluster-legend').locator('li').nth(3).waitFor({ timeout: 120_000 });
    await expect
      .poll(() => page.getByLabel('Name of cluster 0').inputValue(), { timeout: 30_000 })
      .toBe('pasture');
    expect(await page.getByTestId('place').count()).toBe(10);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: /^Export .*dolomites/ })
        .first()
        .click(),
    ]);
    const file = join(artifacts, 'session.json');
    await download.saveAs(file);
    expect(JSON.parse(readFileSync(file, 'utf8')).clusterNames[0]).toBe('pasture');

    const context = await browser.newContext();
    // IndexedDB opens slowly here (1.5 s), so the file is chosen before the sessions store is
    // open: the import said "Imported" then and saved nothing (a faster start showed it).
    await context.addInitScript(() => {
      const own = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'onsuccess');
      Object.defineProperty(IDBOpenDBRequest.prototype, 'onsuccess', {
        configurable: true,
        get(this: IDBOpenDBRequest) {
          return own?.get?.call(this);
        },
        set(this: IDBOpenDBRequest, handler: ((event: Event) => void) | null) {
          const late = handler && ((event: Event) => setTimeout(() => handler.call(this, event), 1500));
          own?.set?.call(this, late);
        },
      });
    });
    try {
      const other = await context.newPage();
      await other.goto(appUrl);
      await other.getByTestId('sessions').waitFor();
      await other.getByTestId('session-import').setInputFiles(file);
      await expect.poll(() => other.getByTestId('session-message').innerText()).toContain('Imported');
      expect(await other.getByTestId('session').allInnerTexts()).toContainEqual(
        expect.stringContaining('dolomites-2022-06'),
      );
    } finally {
      await context.close();
    }
  });

  it('ignores malformed link parameters and says so', async () => {
    const context = await browser.newContext();
    try {
      const other = await context.newPage();
      await other.goto(`${appUrl}?pack=../../etc&k=99`);
      await expect
        .poll(() => other.getByTestId('link-warning').innerText(), { timeout: 30_000 })
        .toContain('Ignored link parameters');
      await other.getByTestId('scene-info').waitFor({ timeout: 60_000 });
    } finally {
      await context.close();
    }
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
