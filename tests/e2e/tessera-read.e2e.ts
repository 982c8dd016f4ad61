import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjectVite } from '../../bench/vite-server.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { tesseraProduct } from '../../src/lib/precomputed/index.ts';
import { cachedTesseraFixture, type TesseraFixture } from '../precomputed/tessera/tessera-fixture.ts';
import { serveStore } from '../precomputed/tessera/tessera-server.ts';
import { leaseChromium } from './chromium.ts';
import './tessera/protocol.ts';

/**
 * The TESSERA reader in Chromium, in a module worker as the app runs it, against the fixture
 * store on another origin (the project's range server: CORS, a preflight for the suffix range
 * of each shard index, COEP on the page): the same embeddings as in Node, the same messages.
 */

const PAGE = '/tests/e2e/tessera/tessera-read.html';

describe('the TESSERA reader in a Chromium worker', () => {
  let fixture: TesseraFixture;
  let server: ViteDevServer;
  let store: Awaited<ReturnType<typeof serveStore>>;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    fixture = await cachedTesseraFixture();
    store = await serveStore(fixture.dir);
    server = await startProjectVite();
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    browser = await leaseChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(120_000);
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}${PAGE}`);
    await page.waitForFunction(() => window.tesseraHarness !== undefined, null, { polling: 100 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('reads across two UTM zones the same embeddings as Node, over CORS and range requests', async () => {
    const t = fixture.zone(31).transform;
    // 120 x 40 px of zone 31's grid from column 60: the east part lies past 6°E, in zone 32,
    // whose south-east shard is not stored (nodata there).
    const grid: GridSpec = {
      width: 120,
      height: 40,
      epsg: 32631,
      transform: { originX: t.originX + 600, originY: t.originY - 50 * 10, resX: 10, resY: 10 },
    };
    const request = { baseUrl: store.baseUrl, year: 2024, grid };
    const reply = await page.evaluate((r) => window.tesseraHarness!.read(r), request);
    const node = await tesseraProduct.read({ family: 'tessera', ...request });
    if (!reply.ok) throw new Error(`${reply.code}: ${reply.message}`);
    const { data, valid, dim } = node.embeddings;
    let count = 0;
    let sum = 0;
    for (let p = 0; p < valid.length; p++) {
      if (valid[p] === 0) continue;
      count++;
      for (let b = 0; b < dim; b++) sum += data[p * dim + b]!;
    }
    expect(reply.label).toBe('TESSERA 2024');
    expect(reply.valid).toBe(count);
    expect(reply.valid).toBeGreaterThan(3000);
    expect(reply.sum).toBe(sum);
    expect(reply.first.vector).toEqual(
      Array.from(data.subarray(reply.first.pixel * dim, (reply.first.pixel + 1) * dim)),
    );
    expect(reply.fetched.bytes).toBe(node.fetched.bytes);
    expect(reply.progressSteps).toBeGreaterThan(2);
    expect(errors).toEqual([]);
  });

  it('says which years there are, from the worker, as a typed error', async () => {
    const t = fixture.zone(31).transform;
    const grid: GridSpec = { width: 8, height: 8, epsg: 32631, transform: { ...t } };
    const reply = await page.evaluate((r) => window.tesseraHarness!.read(r), {
      baseUrl: store.baseUrl,
      year: 2018,
      grid,
    });
    expect(reply).toEqual({
      ok: false,
      code: 'not-found',
      message: 'TESSERA has no embeddings for 2018 here; the store holds the years 2023, 2024.',
    });
  });
});
