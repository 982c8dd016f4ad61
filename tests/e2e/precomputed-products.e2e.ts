import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAppServer } from '../../scripts/app-server.ts';
import { cutEmbeddingsIntoPack } from '../../scripts/pack-embeddings.ts';
import { buildSyntheticPack } from '../../scripts/synthetic-pack.ts';
import { gridBounds, transformBBox } from '../../src/lib/geo/index.ts';
import { type ServedFixture, serveAefFixture } from '../precomputed/aef/aef-server.ts';
import { cachedTesseraFixture } from '../precomputed/tessera/tessera-fixture.ts';
import { serveStore } from '../precomputed/tessera/tessera-server.ts';
import { leaseChromium } from './chromium.ts';
import { openApp, snapshot } from './page-helpers.ts';

const packsDir = inject('packsDir');
const artifacts = inject('artifactsDir');
const PACK = 'dolomites-aef-2022';

/**
 * Issue 11 in Chromium on the byte-faithful product fixtures, each on its own origin the app
 * allows: TESSERA (Zarr v3 shards) over a typed area with no scene, AlphaEarth (the index
 * Parquet and zstd COGs) on a pack scene's grid, and the same AlphaEarth cut into that pack by
 * `pack:fetch --product aef` and read offline, click for click the same similarity. One app
 * server, one browser, one page; the fixtures are built once per machine (temp folder).
 */
describe.skipIf(!packsDir)(
  'AlphaEarth, TESSERA and a pack of embeddings through the Precomputed panel',
  () => {
    let browser: Browser;
    let app: { server: Server; url: string };
    let aef: ServedFixture;
    let tessera: Awaited<ReturnType<typeof serveStore>>;
    let packs: string;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      const [fx, store] = await Promise.all([
        serveAefFixture(),
        cachedTesseraFixture().then((f) => serveStore(f.dir)),
      ]);
      aef = fx;
      tessera = store;
      // A 1.5 x 1.5 km scene pack at 10 m over the AlphaEarth fixture's first tile, with the
      // tile's 2022 embeddings cut into it (what `pack:fetch --product aef` does; tested in
      // tests/precomputed/pack-embeddings.test.ts through the command itself).
      packs = await mkdtemp(join(tmpdir(), 'eee-pre-products-'));
      const t = aef.fx.tiles.find((x) => x.zone === '32N' && x.row === 0 && x.col === 0)!;
      const scene = { epsg: 32632, originX: t.west + 500, originY: t.north - 100, sizeM: 1500 };
      await buildSyntheticPack(join(packs, PACK), [
        {
          id: 'S2B_32TQS_20220612_0_L2A',
          ...scene,
          datetime: '2022-06-12T10:15:00Z',
          cloudCover: 3,
          bands: ['blue', 'green', 'red', 'nir', 'scl'],
        },
      ]);
      const extent = gridBounds({
        width: 150,
        height: 150,
        epsg: 32632,
        transform: { originX: scene.originX, originY: scene.originY, resX: 10, resY: 10 },
      });
      await cutEmbeddingsIntoPack({
        dir: join(packs, PACK),
        family: 'aef',
        year: 2022,
        baseUrl: aef.base,
        bbox: transformBBox(extent, 32632, 4326),
        res: 10,
      });
      app = await startAppServer({
        distDir: join(dirname(packsDir), 'dist'),
        packsDir: packs,
        connectOrigins: [new URL(aef.base).origin, new URL(tessera.baseUrl).origin],
      });
      browser = await leaseChromium();
      // A pack the server does not have: the app starts with no scene, as for an area anywhere.
      ({ page, errors } = await openApp(browser, `${app.url}/?pack=none`, { waitForScene: false }));
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      app?.server.closeAllConnections();
      await new Promise((done) => app?.server.close(done));
      await aef?.close();
      await tessera?.close();
      if (packs) await rm(packs, { recursive: true, force: true });
    });

    async function clickMap(fx = 0.45, fy = 0.55): Promise<void> {
      const box = (await page.getByTestId('map').boundingBox())!;
      await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    }

    async function choose(product: string, baseUrl: string, year: string): Promise<void> {
      await page.getByTestId('pre-product').selectOption(product);
      await page.getByTestId('pre-url').fill(baseUrl);
      await page.getByTestId('pre-url').dispatchEvent('change');
      await page.getByTestId('pre-year').selectOption(year);
    }

    /** The scores of the ten most similar places, as shown. */
    async function topScores(): Promise<string[]> {
      await page.getByTestId('place-score').first().waitFor();
      return page.getByTestId('place-score').allInnerTexts();
    }

    it('TESSERA over a typed area, no scene: estimate, load, a click gives a similarity map', async () => {
      // North-east of the fixture's zone-32 grid centre (6°E, 45°N): stored shards, no lake.
      await page.getByTestId('area').fill('6.002,45.001,6.014,45.009');
      await page.getByTestId('precomputed').locator('summary').click();
      await choose('tessera', tessera.baseUrl, '2024');
      await page.getByTestId('pre-estimate').click();
      const estimate = await page.getByTestId('pre-estimate-text').innerText();
      expect(estimate).toMatch(/at 10 m \(EPSG:32632\),\s+128 dimensions/);
      await page.getByTestId('pre-load').click();
      await expect.poll(() => page.getByTestId('pre-loaded').count(), { timeout: 120_000 }).toBe(1);
      expect(await page.getByTestId('pre-loaded').innerText()).toMatch(/^TESSERA 2024: \d+ file\(s\)/);
      expect(await page.getByTestId('scene-info').count()).toBe(0);
      await clickMap();
      expect((await topScores())[0]).toBe('1.0000');
      await snapshot(page.getByTestId('map'), artifacts, '83-tessera-similarity');
    }, 300_000);

    it('AlphaEarth on the pack scene grid: the same click offline, from the pack, gives the same map', async () => {
      await page.getByTestId('area').fill('');
      await page.getByTestId('load-scene').click();
      await page.getByTestId('scene-info').waitFor();
      // The pack's catalog lists its embeddings: the panel offers them.
      await expect
        .poll(() => page.getByTestId('pre-pack-embeddings').allInnerTexts(), { timeout: 60_000 })
        .toEqual(['AlphaEarth 2022']);

      await choose('aef', aef.base, '2022');
      await page.getByTestId('pre-estimate').click();
      expect(await page.getByTestId('pre-estimate-text').innerText()).toMatch(
        /150 × 150 px at 10 m \(EPSG:32632\),\s+64 dimensions, 1 file\(s\)/,
      );
      await page.getByTestId('pre-load').click();
      await expect
        .poll(() => page.getByTestId('encoder-info').innerText(), { timeout: 120_000 })
        .toContain('AlphaEarth 2022');
      await clickMap(0.5, 0.5);
      const online = await topScores();
      expect(online[0]).toBe('1.0000');
      await snapshot(page.getByTestId('map'), artifacts, '84-aef-similarity');

      // Offline: the fixture server stops; the pack's own copy is read from the app's server.
      await aef.close();
      await page.getByTestId('pre-pack-embeddings').click();
      expect(await page.getByTestId('pre-product').inputValue()).toBe('collection');
      await page.getByTestId('pre-load').click();
      await expect
        .poll(() => page.getByTestId('pre-loaded').innerText(), { timeout: 120_000 })
        .toMatch(/^AlphaEarth 2022: 1 file\(s\)/);
      expect(new URL(page.url()).searchParams.get('emb_url')).toBe(
        `${app.url}/packs/${PACK}/embeddings/aef-2022/collection.json`,
      );
      await clickMap(0.5, 0.5);
      await expect
        .poll(() => page.getByTestId('place-score').count(), { timeout: 120_000 })
        .toBe(online.length);
      expect(await page.getByTestId('place-score').allInnerTexts()).toEqual(online);
      expect(errors).toEqual([]);
    }, 300_000);
  },
);
