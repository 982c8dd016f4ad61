import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchChromium, leaseChromium } from './chromium.ts';

/** The operating system's id of the browser process behind `browser` (DevTools' SystemInfo). */
async function browserPid(browser: Browser): Promise<number | undefined> {
  const cdp = await browser.newBrowserCDPSession();
  const info = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  return info.processInfo.find((p) => p.type === 'browser')?.id;
}

describe("a test file's Chromium (a lease on its worker's one browser process)", () => {
  it('closes only the contexts it opened; the next file gets the same running process; launchChromium starts its own', async () => {
    const first = await leaseChromium();
    const second = await leaseChromium();
    const pid = await browserPid(first);
    expect(pid).toBeGreaterThan(0);
    expect(await browserPid(second)).toBe(pid);
    const kept = await second.newContext();
    const page = await first.newPage();
    await first.newContext();
    await page.setContent('<p>first</p>');
    expect(first.contexts()).toHaveLength(2);
    expect(second.contexts()).toEqual([kept]);

    await first.close();
    expect(first.contexts()).toEqual([]);
    expect(page.isClosed()).toBe(true);
    // The process and the other file's context live on.
    expect(second.isConnected()).toBe(true);
    const other = await kept.newPage();
    await other.setContent('<p>second</p>');
    expect(await other.textContent('p')).toBe('second');

    const third = await leaseChromium();
    expect(await browserPid(third)).toBe(pid);
    const again = await third.newPage();
    await again.setContent('<p>third</p>');
    expect(await again.textContent('p')).toBe('third');
    // A benchmark's or a script's own process: closing it ends it (a lease's would keep a
    // process that must end by itself alive), and the leases' process lives on.
    const own = await launchChromium();
    expect(await browserPid(own)).not.toBe(pid);
    await own.close();
    expect(own.isConnected()).toBe(false);
    expect(third.isConnected()).toBe(true);

    await Promise.all([second.close(), third.close()]);
    expect(second.contexts()).toEqual([]);
    expect(third.contexts()).toEqual([]);
  });
});
