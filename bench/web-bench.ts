import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tests/e2e/chromium.ts';
import type { BenchPageResult } from './browser/bench-protocol.ts';
import { type BenchEntry, type BenchFailure, log } from './report.ts';
import { startProjectVite } from './vite-server.ts';

const PAGE = '/bench/browser/bench.html';

/** One variant of a browser bench, as the bench's `measure` gets it. */
export interface WebBenchRun<Variant, Measurement> {
  name: string;
  variant: Variant;
  /** The Chromium version, for the entry's notes. */
  chromium: string;
  /** Opens the bench page with these query parameters and waits for the run it publishes. */
  openPage(query: Record<string, string | number>): Promise<BenchPageResult<Measurement>>;
}

/** What differs between the browser benches (spectral encoder, MOSAIKS, Presto). */
export interface WebBench<Variant, Measurement> {
  /** Which bench bench/browser/bench.html runs (its `bench` query parameter). */
  bench: string;
  /** How long one page may take: a hung page should fail its entry, not stall the bench. */
  timeoutMs: number;
  /** Answers what the page fetches from the bench process (Playwright routes), if anything. */
  route?: (page: Page) => Promise<void>;
  /** One variant's entry, from the runs of the page it opens. */
  measure(run: WebBenchRun<Variant, Measurement>): Promise<BenchEntry>;
}

/**
 * Runs a browser bench: the project's Vite dev server (startProjectVite), headless Chromium,
 * then each variant in turn. A variant that fails (say, with threads) becomes its entry's
 * failure rather than hiding the other variants' figures.
 */
export async function runWebBench<Variant, Measurement>(
  bench: WebBench<Variant, Measurement>,
  variants: ReadonlyMap<string, Variant>,
): Promise<Map<string, BenchEntry | BenchFailure>> {
  const out = new Map<string, BenchEntry | BenchFailure>();
  log('starting Vite dev server');
  const server = await startProjectVite();
  let browser: Browser | undefined;
  try {
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!origin) throw new Error('Vite dev server reported no local URL');
    const chromium = await launchChromium();
    browser = chromium;
    const openPage = (query: Record<string, string | number>) => {
      const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      search.set('bench', bench.bench);
      return pageResult<Measurement>(chromium, `${origin}${PAGE}?${search}`, bench);
    };
    for (const [name, variant] of variants) {
      try {
        out.set(name, await bench.measure({ name, variant, chromium: chromium.version(), openPage }));
      } catch (error) {
        out.set(name, { error: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  return out;
}

/**
 * Opens `url` in a fresh browser context (so each run starts its own workers and ORT) and
 * waits until the page publishes its run or its error on window (bench/browser/bench-page.ts);
 * the page's error becomes this one.
 */
async function pageResult<Measurement>(
  browser: Browser,
  url: string,
  bench: Pick<WebBench<unknown, Measurement>, 'route' | 'timeoutMs'>,
): Promise<BenchPageResult<Measurement>> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') log(`  [page ${msg.type()}] ${msg.text()}`);
    });
    page.on('pageerror', (error) => log(`  [page error] ${error.message}`));
    await bench.route?.(page);
    await page.goto(url);
    await page.waitForFunction(
      () => window.__benchResult !== undefined || window.__benchError !== undefined,
      null,
      { timeout: bench.timeoutMs, polling: 250 },
    );
    const error = await page.evaluate(() => window.__benchError);
    if (error !== undefined) throw new Error(`bench page failed: ${error}`);
    const result = await page.evaluate(() => window.__benchResult);
    if (!result) throw new Error('bench page left no result');
    // The page publishes what its worker measured; the bench names that type.
    return result as BenchPageResult<Measurement>;
  } finally {
    await context.close();
  }
}
