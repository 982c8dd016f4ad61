import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseChromium } from './chromium.ts';

const root = resolve(import.meta.dirname, '../..');

/** One browser module bundled as a script that sets `globalThis[name]` (no server needed). */
async function bundle(entry: string, name: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: { write: false, minify: false, lib: { entry: resolve(root, entry), formats: ['iife'], name } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error(`no bundle for ${entry}`);
  return chunk.code;
}

/** Non-white pixels in a rectangle of a decoded PNG. */
function inked(png: PNG, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * png.width + x) * 4;
      if ((png.data[o] ?? 255) < 200 || (png.data[o + 1] ?? 255) < 200 || (png.data[o + 2] ?? 255) < 200) n++;
    }
  }
  return n;
}

describe('map snapshot PNG and file download, in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const [snapshotJs, downloadJs] = await Promise.all([
      bundle('src/lib/export/snapshot-png.ts', 'Snapshot'),
      bundle('src/lib/export/download.ts', 'Download'),
    ]);
    browser = await leaseChromium();
    page = await browser.newPage({ acceptDownloads: true });
    await page.setContent('<!doctype html><title>export</title><body></body>');
    await page.addScriptTag({ content: snapshotJs });
    await page.addScriptTag({ content: downloadJs });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function snapshotPng(
    legendKind: 'swatches' | 'colour-bar' | 'markers',
    pixelRatio: number,
  ): Promise<PNG> {
    const base64 = await page.evaluate(
      async ({ legendKind, pixelRatio }) => {
        const map = new OffscreenCanvas(400 * pixelRatio, 200 * pixelRatio);
        const ctx = map.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        ctx.fillStyle = 'rgb(200, 30, 30)';
        ctx.fillRect(0, 0, map.width, map.height);
        const api = (
          globalThis as unknown as Record<string, { composeSnapshot: (i: unknown) => Promise<Blob> }>
        ).Snapshot;
        const legend =
          legendKind === 'markers'
            ? {
                kind: 'swatches',
                shape: 'dot',
                title: 'Map markers',
                items: [
                  { name: 'query', colour: [255, 64, 64] },
                  { name: 'like (shift-click)', colour: [255, 160, 40] },
                  { name: 'unlike (alt-click)', colour: [60, 140, 255] },
                ],
              }
            : legendKind === 'swatches'
              ? {
                  kind: 'swatches',
                  title: 'Clusters',
                  items: [
                    { name: 'water', colour: [31, 119, 180] },
                    { name: 'forest', colour: [44, 160, 44] },
                    { name: 'rock', colour: [127, 127, 127] },
                  ],
                }
              : { kind: 'colour-bar', title: 'Similarity', min: 0.2, max: 1 };
        const blob = await api?.composeSnapshot({
          map,
          legend,
          view: { latitude: 46.5, zoom: 12 },
          pixelRatio,
          year: 2022,
        });
        if (!blob) throw new Error('no blob');
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let text = '';
        for (const b of bytes) text += String.fromCharCode(b);
        return `${blob.type}|${btoa(text)}`;
      },
      { legendKind, pixelRatio },
    );
    const [type, data] = base64.split('|');
    expect(type).toBe('image/png');
    const bytes = Buffer.from(data ?? '', 'base64');
    // Kept for a human look, like the other end-to-end screenshots (artifacts/ is gitignored).
    const dir = join(root, 'artifacts', 'e2e');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `export-snapshot-${legendKind}.png`), bytes);
    return PNG.sync.read(bytes);
  }

  it('map on top, legend, scale bar and attribution in the footer', async () => {
    const png = await snapshotPng('swatches', 1);
    expect(png.width).toBe(400);
    expect(png.height).toBeGreaterThan(200 + 40);
    const o = (100 * png.width + 100) * 4;
    expect([png.data[o], png.data[o + 1], png.data[o + 2]]).toEqual([200, 30, 30]);
    const footer = png.height - 200;
    expect(inked(png, 0, 200, 200, 200 + Math.floor(footer * 0.6))).toBeGreaterThan(100); // legend
    expect(inked(png, 260, 200, 400, 230)).toBeGreaterThan(20); // scale bar
    expect(inked(png, 0, png.height - 18, 300, png.height)).toBeGreaterThan(50); // attribution
  });

  it('scales the footer with the pixel ratio and draws a colour bar', async () => {
    const png = await snapshotPng('colour-bar', 2);
    expect(png.width).toBe(800);
    expect(png.height).toBeGreaterThan(400 + 80);
    // The bar's left end is viridis' dark purple (68, 1, 84).
    const barTop = 400 + 2 * (8 + 18) + 6;
    const o = (barTop * png.width + 2 * 12) * 4;
    expect(png.data[o]).toBeLessThan(100);
    expect(png.data[o + 2]).toBeGreaterThan(50);
  });

  it("draws the marker key as dots in the markers' colours (like orange, unlike blue)", async () => {
    const png = await snapshotPng('markers', 1);
    /** The centre of the footer's pixels of exactly this colour, if any. */
    const centre = (rgb: readonly number[]) => {
      let n = 0;
      let sx = 0;
      let sy = 0;
      for (let y = 200; y < png.height; y++)
        for (let x = 0; x < png.width; x++) {
          const o = (y * png.width + x) * 4;
          if (png.data[o] !== rgb[0] || png.data[o + 1] !== rgb[1] || png.data[o + 2] !== rgb[2]) continue;
          n++;
          sx += x;
          sy += y;
        }
      return n > 0 ? { x: Math.round(sx / n), y: Math.round(sy / n), n } : undefined;
    };
    const like = centre([255, 160, 40]);
    const unlike = centre([60, 140, 255]);
    expect(like?.n).toBeGreaterThan(40);
    expect(unlike?.n).toBeGreaterThan(40);
    // A dot, not a square: where a 12 px square swatch would be coloured (5 px from its centre
    // both ways), the dot's surroundings are white.
    const corner = (((like?.y ?? 0) - 5) * png.width + ((like?.x ?? 0) - 5)) * 4;
    expect([png.data[corner], png.data[corner + 1], png.data[corner + 2]]).toEqual([255, 255, 255]);
  });

  it('downloadFile saves bytes under the given name', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => {
        const api = (globalThis as unknown as Record<string, { downloadFile: (...a: unknown[]) => void }>)
          .Download;
        api?.downloadFile(new Uint8Array([104, 105, 10]), 'clusters_k6_scene_2022-07-04.csv');
      }),
    ]);
    expect(download.suggestedFilename()).toBe('clusters_k6_scene_2022-07-04.csv');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hi\n');
  });
});
