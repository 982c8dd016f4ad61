import type { Browser } from 'playwright-core';
import { launchChromium } from '../tests/e2e/chromium.ts';
import type { MosaiksPageResult } from './browser/mosaiks-protocol.ts';
import { type MosaiksBenchParams, patchesPerSecond } from './mosaiks-loop.ts';
import { MOSAIKS_NODE, measureMosaiksNode } from './mosaiks-node.ts';
import { type BenchEntry, type BenchFailure, log } from './report.ts';
import { startProjectVite } from './vite-server.ts';
import { describeThreading, pageResult, webRunExtra } from './web-run-extra.ts';

const PAGE = '/bench/browser/mosaiks-bench.html';
/** A full 1-thread run of 1,000,000 pixels takes tens of seconds; a hang should fail, not stall. */
const PAGE_TIMEOUT_MS = 300_000;

async function runPage(browser: Browser, url: string): Promise<MosaiksPageResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`  [page error] ${error.message}`));
    await page.goto(url);
    return await pageResult<MosaiksPageResult>(
      page,
      { result: '__mosaiksBenchResult', error: '__mosaiksBenchError' },
      PAGE_TIMEOUT_MS,
    );
  } finally {
    await context.close();
  }
}

function entry(
  result: MosaiksPageResult,
  nodeValue: number,
  params: MosaiksBenchParams,
  chromium: string,
): BenchEntry {
  const m = result.measurement;
  const value = patchesPerSecond(m);
  return {
    unit: 'patches/s',
    value,
    baseline: { name: MOSAIKS_NODE, value: nodeValue, unit: 'patches/s' },
    ratio: value / nodeValue,
    ratio_meaning: 'value / baseline (web throughput as a fraction of onnxruntime-node; higher is better)',
    runs: params.runs,
    notes:
      `onnxruntime-web ${result.ortVersion} wasm EP in a dedicated module worker, Chromium ${chromium} headless, ` +
      `Vite dev server with the project config; ${describeThreading(result)}. Same synthetic ` +
      `${params.side} x ${params.side} x 10-band scene, defaults and loop as ${MOSAIKS_NODE}; median of ` +
      `${params.runs} passes timed inside the worker; filter sampling, session creation (includes WASM ` +
      'compile/instantiate) and the first tile excluded and reported separately.',
    extra: { ...webRunExtra(result), plan_ms: m.planMs, patches: m.patches },
  };
}

/** Entries for the requested web variants, keyed by benchmark name (value: thread count). */
export async function mosaiksPatchesWeb(
  variants: ReadonlyMap<string, number>,
  params: MosaiksBenchParams,
): Promise<Map<string, BenchEntry | BenchFailure>> {
  const nodeValue = patchesPerSecond(await measureMosaiksNode(params));
  const out = new Map<string, BenchEntry | BenchFailure>();
  const server = await startProjectVite();
  let browser: Browser | undefined;
  try {
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!origin) throw new Error('Vite dev server reported no local URL');
    browser = await launchChromium();
    for (const [name, threads] of variants) {
      try {
        log(`${name}: ${threads} thread(s) in Chromium ${browser.version()}`);
        const query = new URLSearchParams({
          threads: String(threads),
          ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
        });
        const result = await runPage(browser, `${origin}${PAGE}?${query}`);
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
