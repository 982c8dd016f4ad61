import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjectVite } from '../../bench/vite-server.ts';
import { similarityToRgba } from '../../src/lib/render/index.ts';
import { leaseChromium } from './chromium.ts';
import type { ScoreDrawReply, ScoreDrawRequest } from './score-layer/protocol.ts';

const PAGE = '/tests/e2e/score-layer/score-layer.html';
const MODULE = '/tests/e2e/score-layer/score-layer-page.ts';

/** 16 x 8 scores from -1 to 1 in steps of 1/64, with a few NaN (no score). */
function ramp(): (number | null)[] {
  const scores: (number | null)[] = [];
  for (let i = 0; i < 128; i++) scores.push(i % 29 === 5 ? null : -1 + i / 64);
  return scores;
}

/** How many scores the CPU reference shows (at or above the threshold, not NaN). */
function shownByReference(request: Omit<ScoreDrawRequest, 'path'>): number {
  const values = Float32Array.from(request.scores, (v) => (v === null ? Number.NaN : v));
  const rgba = similarityToRgba(values, {
    threshold: request.threshold,
    min: request.threshold,
    max: request.high,
  });
  let n = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! > 0) n++;
  return n;
}

describe('the GPU score layer (float texture, colormap and threshold as uniforms) in Chromium', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startProjectVite();
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    browser = await leaseChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(120_000);
    await page.goto(`${origin}${PAGE}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function draw(request: ScoreDrawRequest): Promise<ScoreDrawReply> {
    // A string, not a function: vitest would rewrite import() inside a function for Node.
    const script = `import(${JSON.stringify(MODULE)}).then((m) => m.drawScores(${JSON.stringify(request)}))`;
    return (await page.evaluate(script)) as ScoreDrawReply;
  }

  /**
   * Draws the scores on the GPU, then the CPU path it replaced (similarityToRgba's image in a
   * BitmapLayer) at the same place, and compares the frames texel by texel: the same texels
   * shown, the same alpha, colours at most one colormap entry apart (a score on a rounding
   * boundary) plus blending rounding.
   */
  async function expectSameAsCpuPath(request: Omit<ScoreDrawRequest, 'path'>): Promise<ScoreDrawReply> {
    const gpu = await draw({ ...request, path: 'score' });
    const cpu = await draw({ ...request, path: 'image' });
    const shown = gpu.texels.filter((t) => t[3]! > 0).length;
    expect(shown).toBe(shownByReference(request));
    for (const [i, want] of cpu.texels.entries()) {
      const got = gpu.texels[i]!;
      for (let c = 0; c < 4; c++)
        expect(
          Math.abs(got[c]! - want[c]!),
          `channel ${c} of texel ${i}: ${got} vs ${want}`,
        ).toBeLessThanOrEqual(c === 3 ? 1 : 4);
    }
    return gpu;
  }

  it('colours scores as the CPU reference does, transparent below the threshold and where NaN', async () => {
    const reply = await expectSameAsCpuPath({
      scores: ramp(),
      width: 16,
      height: 8,
      threshold: 0.25,
      high: 0.98,
    });
    console.info(`score layer drawn by ${reply.renderer}`);
    expect(reply.floatTextures).toBe(1);
    expect(reply.uploads).toBe(1);
  });

  it('a threshold move redraws from the same texture (no upload) and matches the reference', async () => {
    const reply = await expectSameAsCpuPath({
      scores: ramp(),
      width: 16,
      height: 8,
      threshold: -0.5,
      high: 0.98,
    });
    expect(reply.floatTextures).toBe(1);
    expect(reply.uploads).toBe(1);
    // More of the ramp shows at the lower threshold: about three quarters of it.
    expect(reply.texels.filter((t) => t[3]! > 0).length).toBeGreaterThan(80);
  });

  it('a flat range (high <= low) paints every shown score the bright end', async () => {
    await expectSameAsCpuPath({
      scores: ramp(),
      width: 16,
      height: 8,
      threshold: 0.5,
      high: 0.5,
    });
  });

  it('new scores of the same size are written into the texture there; another size makes a new one', async () => {
    const scores = ramp().map((v) => (v === null ? v : -v));
    const reply = await expectSameAsCpuPath({ scores, width: 16, height: 8, threshold: 0, high: 1 });
    // A new query on the same grid: uploaded, drawn as the reference, no new texture.
    expect(reply.uploads).toBe(2);
    expect(reply.floatTextures).toBe(1);
    // (The page's canvas keeps the first raster's size: only the counters are read here.)
    const smaller = await draw({
      scores: scores.slice(0, 32),
      width: 8,
      height: 4,
      threshold: 0,
      high: 1,
      path: 'score',
    });
    expect(smaller.uploads).toBe(3);
    expect(smaller.floatTextures).toBe(2);
  });
});
