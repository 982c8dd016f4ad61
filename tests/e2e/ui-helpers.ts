import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** An axe-core finding, as much as a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now (the page's context must bypass the app's CSP,
 * which rightly refuses injected scripts) and returns every violation, of any impact.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    interface Found {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Found[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).flatMap((n) => n.target),
    }));
  });
}

/** A rectangle in CSS pixels of the page's viewport. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The element's box, failing loudly when it is not rendered. */
export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} is not rendered`);
  return box;
}

/** Whether `inner` lies inside `outer` (1 px of rounding allowed). */
export function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - 1 &&
    inner.y >= outer.y - 1 &&
    inner.x + inner.width <= outer.x + outer.width + 1 &&
    inner.y + inner.height <= outer.y + outer.height + 1
  );
}

/** The viewport as a box. */
export function viewportBox(page: Page): Box {
  const size = page.viewportSize();
  if (!size) throw new Error('the page has no fixed viewport');
  return { x: 0, y: 0, ...size };
}

/** The visible part of a scrolling element (its client area) as a box. */
export async function clientBox(locator: Locator): Promise<Box> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return {
      x: r.left + el.clientLeft,
      y: r.top + el.clientTop,
      width: el.clientWidth,
      height: el.clientHeight,
    };
  });
}

/** What has the keyboard focus: its data-testid, else its tag and text. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    return (
      el.getAttribute('data-testid') ??
      `${el.tagName.toLowerCase()}:${el.textContent?.trim().slice(0, 30) ?? ''}`
    );
  });
}

/**
 * Presses Tab (keyboard only, as a user without a mouse would) until the element with this
 * data-testid has the focus; fails after `limit` presses, naming where the focus went.
 */
export async function tabTo(page: Page, testId: string, limit = 400): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    const now = await focused(page);
    if (now === testId) return;
    seen.push(now);
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}; the focus went: ${seen.slice(-40).join(' | ')}`);
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.max(
      document.documentElement.scrollWidth - document.documentElement.clientWidth,
      document.body.scrollWidth - document.documentElement.clientWidth,
    ),
  );
}
