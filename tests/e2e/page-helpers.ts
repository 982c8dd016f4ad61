import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect } from 'vitest';
import { leaseChromium } from './chromium.ts';

/**
 * Collects console errors and uncaught exceptions so a test can assert there were none. The
 * one expected failure is the basemap's probe of the online tile server (this machine is
 * offline): the app then shows the offline outlines and says so.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (message.location().url.startsWith('https://tile.openstreetmap.org/')) return;
    errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export interface PixelStats {
  distinctColours: number;
  opaqueFraction: number;
  /** Mean RGB over the region. */
  mean: [number, number, number];
  png: PNG;
}

/** Screenshot of an element, saved as an artefact and decoded, so tests read real pixels. */
export async function snapshot(locator: Locator, dir: string, name: string): Promise<PixelStats> {
  const buffer = await locator.screenshot();
  writeFileSync(join(dir, `${name}.png`), buffer);
  const png = PNG.sync.read(buffer);
  const colours = new Set<number>();
  let opaque = 0;
  const sum: [number, number, number] = [0, 0, 0];
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const r = png.data[i * 4]!;
    const g = png.data[i * 4 + 1]!;
    const b = png.data[i * 4 + 2]!;
    colours.add((r << 16) | (g << 8) | b);
    if (png.data[i * 4 + 3] === 255) opaque++;
    sum[0] += r;
    sum[1] += g;
    sum[2] += b;
  }
  return {
    distinctColours: colours.size,
    opaqueFraction: opaque / n,
    mean: [sum[0] / n, sum[1] / n, sum[2] / n],
    png,
  };
}

/**
 * Polls screenshots of the map until `ok` holds (deck.gl draws on animation frames), saving
 * each as `<dir>/<name>.png`; returns the last one either way, for the caller's assertion.
 */
export async function mapUntil(
  page: Page,
  dir: string,
  name: string,
  ok: (s: PixelStats) => boolean,
): Promise<PixelStats> {
  let last = await snapshot(page.getByTestId('map'), dir, name);
  for (let i = 1; i < 40 && !ok(last); i++) {
    await page.waitForTimeout(250);
    last = await snapshot(page.getByTestId('map'), dir, name);
  }
  return last;
}

/** Fraction of pixels that differ by more than `tolerance` in any channel. */
export function changedFraction(a: PixelStats, b: PixelStats, tolerance = 8): number {
  if (a.png.width !== b.png.width || a.png.height !== b.png.height) return 1;
  let changed = 0;
  const n = a.png.width * a.png.height;
  for (let i = 0; i < n * 4; i += 4) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(a.png.data[i + c]! - b.png.data[i + c]!) > tolerance) {
        changed++;
        break;
      }
    }
  }
  return changed / n;
}

/**
 * A page of the served app in a fresh context, with the guided tour off (workshop.e2e.ts tests
 * it; elsewhere it would cover part of the map) and generous timeouts, since a busy 2-core
 * machine renders SwiftShader frames slowly. Waits for the start-up scene when asked.
 */
export async function openApp(
  browser: Browser,
  url: string,
  options: {
    waitForScene?: boolean;
    viewport?: { width: number; height: number };
    /** Before the app loads: routes or init scripts of the test's own. */
    prepareContext?: (context: BrowserContext) => Promise<void>;
    /** Scripts run in the page before the app's own (instrumentation such as main-thread-bytes.ts). */
    initScripts?: string[];
  } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  await context.addInitScript(() => localStorage.setItem('eee.tour', 'off'));
  await options.prepareContext?.(context);
  for (const content of options.initScripts ?? []) await context.addInitScript({ content });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(url);
  if (options.waitForScene ?? true) await page.getByTestId('scene-info').waitFor();
  return { page, errors };
}

export interface OpenedApp {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions so far (watchErrors). */
  errors: string[];
}

/**
 * Call inside a describe: before its tests, runs `prepare` (say, building a pack the app will
 * open), launches Debian's Chromium and opens the app at `url` (openApp); after them, closes
 * the browser. `use` receives what was opened, for the suite's own variables.
 */
export function openAppForSuite(
  /** The app's address, or a function giving it once earlier hooks have started a server. */
  url: string | (() => string),
  use: (app: OpenedApp) => void,
  options: Parameters<typeof openApp>[2] & { prepare?: () => void | Promise<void> } = {},
): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await options.prepare?.();
    browser = await leaseChromium();
    use({ browser, ...(await openApp(browser, typeof url === 'string' ? url : url(), options)) });
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/** Every download a click starts (an export may be two files: a GeoTIFF and its .aux.xml), by name. */
export async function downloads(
  page: Page,
  count: number,
  click: () => Promise<void>,
): Promise<Map<string, Buffer>> {
  const got: Download[] = [];
  const listener = (d: Download) => got.push(d);
  page.on('download', listener);
  await click();
  await expect.poll(() => got.length, { timeout: 120_000 }).toBe(count);
  page.off('download', listener);
  const out = new Map<string, Buffer>();
  for (const d of got) out.set(d.suggestedFilename(), readFileSync((await d.path())!));
  return out;
}
