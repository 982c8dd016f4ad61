import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjectVite } from '../../bench/vite-server.ts';
import { DEFAULT_BUDGET, MIN_AUTO_BUDGET, QUOTA_SHARE } from '../../src/lib/cache/index.ts';
import { leaseChromium } from './chromium.ts';
import './cache/protocol.ts';

const PAGE = '/tests/e2e/cache/cache-store.html';

describe('the IndexedDB byte store in Chromium (window and worker)', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startProjectVite();
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    browser = await leaseChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}${PAGE}`);
    await page.waitForFunction(() => window.cacheHarness !== undefined, null, { polling: 100 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('stores, lists, counts and reads entries back, also after closing and reopening', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.roundTrip());
    expect(r.got).toEqual([1, 2, 3]);
    expect(r.missing).toBe(true);
    expect(r.listed).toEqual(['tile\na', 'tile\nb']);
    expect(r.stats.entries).toBe(3);
    expect(r.stats.bytes).toBe(113);
    expect(r.stats.byKind.tile).toEqual({ entries: 2, bytes: 13 });
    expect(r.stats.byKind.embedding).toEqual({ entries: 1, bytes: 100 });
    expect(r.reopened).toEqual([1, 2, 3]);
    expect(r.meta).toEqual({ width: 10 });
  });

  it('keeps to its budget, evicting the least recently used (a read counts as a use)', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.evict());
    expect(r.kept).toEqual(['b', 'd']);
    expect(r.bytes).toBe(800);
    expect(r.tooLarge).toBe(true);
    expect(r.afterShrink).toEqual(['d']);
  });

  it('a read is served beside another reader (a second tab), not after it', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.readBesideReader());
    expect(r.got).toEqual([4, 5]);
    // Before: each read was a readwrite transaction (to mark the use), which waits for every
    // transaction begun before it on the same stores, so it was answered only once the reader gave up.
    expect(r.readerEndedBy).toBe('read');
  });

  it('a read counts as a use even when the store is closed right after it', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.usesOutliveClose());
    expect(r.order).toEqual(['b', 'c', 'a']);
  });

  it('uses are written while reads go on, not only once they stop (another tab trims by them)', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.usesWhileReading());
    expect(r.reads).toBeGreaterThan(5);
    // Before: each read restarted the 200 ms wait, so no use was written while reads kept coming.
    expect(r.seenDuringReads).toBe(true);
  });

  it('a worker and the window share it', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.fromWorker());
    expect(r.got).toEqual([7, 8, 9]);
    expect(r.tiles).toBe(1);
  });

  it('a corrupt entry is refused with an error that says so, and removed', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.corrupt());
    expect(r.code).toBe('internal');
    expect(r.error).toMatch(/corrupt cache entry/);
    expect(r.left).toEqual(['tile\ngood']);
  });

  it('clear() empties it and says what it removed', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.clear());
    expect(r.removed).toBe(2);
    expect(r.after.entries).toBe(0);
    expect(r.after.bytes).toBe(0);
  });

  it('the automatic budget follows the quota Chromium reports', async () => {
    const r = await page.evaluate(() => window.cacheHarness!.autoBudget());
    expect(r.auto).toBe(true);
    expect(r.quota).toBeGreaterThan(0);
    expect(r.bytes).toBe(
      Math.max(MIN_AUTO_BUDGET, Math.min(DEFAULT_BUDGET, Math.floor(r.quota! * QUOTA_SHARE))),
    );
    expect(errors).toEqual([]);
  });
});
