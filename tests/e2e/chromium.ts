import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A Chromium process of its own, which the caller closes (benchmarks: a cold browser each).
 * Flags measured on these machines (../shared/docs/browser-testing.md): the closed network
 * needs background networking off; WebGPU runs on SwiftShader only with these switches.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-webgpu',
      '--use-angle=swiftshader',
      '--use-vulkan=swiftshader',
      '--enable-features=Vulkan',
    ],
  });
}

/**
 * The test worker's one Chromium process (the test files of a worker share its modules).
 * Test workers only: Vitest ends them; in a process that must end by itself (a benchmark, a
 * script) the open connection would keep it alive, so those use launchChromium.
 */
let shared: Promise<Browser> | undefined;

async function sharedBrowser(): Promise<Browser> {
  const current = shared;
  const running = await current?.catch(() => undefined);
  if (running?.isConnected()) return running;
  // Only the first caller to find it gone (or never started) launches; the others await that.
  if (shared === current) shared = launchChromium();
  return shared ?? launchChromium();
}

/**
 * Chromium for one test file: the worker's shared browser process, seen through a lease whose
 * `close()` closes the contexts (and so the pages) the file opened, not the process. Starting
 * Chromium and its SwiftShader GPU process for every file cost ~2.5 s of a 2-core machine each
 * (a fresh context in a running browser: ~0.7 s); contexts share no storage, cookies or routes,
 * so files stay as separate as they were. Playwright kills the process when the worker exits.
 */
export async function leaseChromium(): Promise<Browser> {
  const browser = await sharedBrowser();
  const opened = new Set<BrowserContext>();
  const track = (context: BrowserContext): BrowserContext => {
    opened.add(context);
    context.once('close', () => opened.delete(context));
    return context;
  };
  const lease: Partial<Browser> = {
    newContext: async (options) => track(await browser.newContext(options)),
    newPage: async (options) => {
      const page = await browser.newPage(options);
      track(page.context());
      return page;
    },
    contexts: () => [...opened],
    close: async () => {
      await Promise.all([...opened].map((context) => context.close().catch(() => undefined)));
    },
  };
  const close = lease.close;
  return new Proxy(browser, {
    get(target, key, receiver) {
      // `await using` disposes through the symbol: it too must close the lease, not the process.
      if (key === Symbol.asyncDispose) return close;
      if (typeof key === 'string' && Object.hasOwn(lease, key)) return lease[key as keyof Browser];
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
