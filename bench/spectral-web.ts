import type { Browser } from 'playwright-core';
import { launchChromium } from '../tests/e2e/chromium.ts';
import type { PageResult } from './browser/protocol.ts';
import type { EncodeParams } from './encode-loop.ts';
import { type BenchEntry, type BenchFailure, log } from './report.ts';
import { measureNodeEncode, NODE_ENCODE, pixelsPerSecond } from './spectral-node.ts';
import { startProjectVite } from './vite-server.ts';
import { describeThreading, webRunExtra } from './web-run-extra.ts';

const PAGE = '/bench/browser/encoder-bench.html';
/** A full 2-thread run takes well under a minute; a hang (see below) should fail, not stall. */
const PAGE_TIMEOUT_MS = 90_000;

async function runPage(
  browser: Browser,
  origin: string,
  threads: number,
  params: EncodeParams,
): Promise<PageResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('console', (msg) => log(`  [page ${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (error) => log(`  [page error] ${error.message}`));
    const failed: string[] = [];
    page.on('requestfailed', (request) =>
      failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`),
    );
    const query = new URLSearchParams({ threads: String(threads), ...stringify(params) });
    await page.goto(`${origin}${PAGE}?${query}`);
    await page.waitForFunction(
      () => window.__benchResult !== undefined || window.__benchError !== undefined,
      null,
      {
        timeout: PAGE_TIMEOUT_MS,
        polling: 250,
      },
    );
    const error = await page.evaluate(() => window.__benchError);
    if (error !== undefined) throw new Error(`bench page failed: ${error}`);
    const result = await page.evaluate(() => window.__benchResult);
    if (!result) throw new Error('bench page left no result');
    return result;
  } finally {
    await context.close();
  }
}

function stringify(params: EncodeParams): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}

function entry(
  result: PageResult,
  nodeValue: number,
  params: EncodeParams,
  browserVersion: string,
): BenchEntry {
  const m = result.measurement;
  const value = pixelsPerSecond(m);
  const threading = describeThreading(result);
  return {
    unit: 'pixels/s',
    value,
    baseline: { name: NODE_ENCODE, value: nodeValue, unit: 'pixels/s' },
    ratio: value / nodeValue,
    ratio_meaning: 'value / baseline (web throughput as a fraction of onnxruntime-node; higher is better)',
    runs: params.runs,
    notes:
      `onnxruntime-web ${result.ortVersion} wasm EP in a dedicated module worker, Chromium ${browserVersion} ` +
      `headless, Vite dev server with the project config; ${threading}. Same pixels, batches and loop ` +
      `as ${NODE_ENCODE}; median of ${params.runs} passes timed inside the worker, session creation ` +
      '(includes WASM compile/instantiate) and first run excluded and reported separately.',
    extra: webRunExtra(result),
  };
}

/** Entries for the requested web variants, keyed by benchmark name (value: thread count). */
export async function spectralEncodeWeb(
  variants: ReadonlyMap<string, number>,
  params: EncodeParams,
): Promise<Map<string, BenchEntry | BenchFailure>> {
  const nodeValue = pixelsPerSecond(await measureNodeEncode(params));
  const out = new Map<string, BenchEntry | BenchFailure>();
  log('starting Vite dev server');
  const server = await startProjectVite();
  let browser: Browser | undefined;
  try {
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!origin) throw new Error('Vite dev server reported no local URL');
    browser = await launchChromium();
    for (const [name, threads] of variants) {
      log(`${name}: ${threads} thread(s) in Chromium ${browser.version()}`);
      try {
        const result = await runPage(browser, origin, threads, params);
        out.set(name, entry(result, nodeValue, params, browser.version()));
      } catch (error) {
        // One variant failing (say, threads) should not hide the other's figure.
        out.set(name, { error: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  return out;
}
