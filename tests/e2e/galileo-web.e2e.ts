import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjectVite } from '../../bench/vite-server.ts';
import { buildGalileoPatchOnnx, buildGalileoPixelOnnx } from '../../models/convert/galileo-graph.ts';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import type { WeightDtype } from '../../models/convert/weight-store.ts';
import {
  GALILEO_CHECKPOINT,
  GALILEO_GOLDEN,
  GALILEO_GOLDEN_PIXELS,
  missingGalileo,
} from '../encoder/galileo-fixtures.ts';
import { launchChromium } from './chromium.ts';
import type { GalileoWebReply } from './galileo/protocol.ts';

const skip = missingGalileo(GALILEO_CHECKPOINT, GALILEO_GOLDEN, GALILEO_GOLDEN_PIXELS);
const PAGE = '/tests/e2e/galileo/galileo-web.html';
const ALL = ['a_T1_p8', 'b_T4_p8', 'c_T1_p4', 'd_T1_p1_pixels', 'e_T4_p1_pixels'];

describe.skipIf(skip)(
  'Galileo-nano in Chromium (onnxruntime-web in a worker) reproduces the golden vectors',
  () => {
    let server: ViteDevServer;
    let browser: Browser;
    let origin = '';

    beforeAll(async () => {
      server = await startProjectVite();
      origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    async function run(
      dtype: WeightDtype,
      ep: 'wasm' | 'webgpu',
      options: { threads?: number; pixels?: number; cases?: string[] } = {},
    ): Promise<GalileoWebReply> {
      const weights = readTorchCheckpoint(readFileSync(GALILEO_CHECKPOINT));
      // Only the graphs the chosen cases run are converted (each conversion takes seconds).
      const cases = options.cases ?? ALL;
      const wanted = (p: string) => cases.some((c) => c.endsWith(`_${p}`) || c.includes(`_${p}_`));
      const graphs: Record<string, Buffer> = {};
      if (wanted('p1')) graphs.p1 = Buffer.from(buildGalileoPixelOnnx(weights, dtype));
      if (wanted('p4')) graphs.p4 = Buffer.from(buildGalileoPatchOnnx(weights, dtype, 4));
      if (wanted('p8')) graphs.p8 = Buffer.from(buildGalileoPatchOnnx(weights, dtype, 8));
      const page: Page = await browser.newPage();
      try {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // The test process serves the graphs it just converted and the golden files by path.
        await page.route('**/galileo-e2e/*.onnx', (route) => {
          const name = new URL(route.request().url()).pathname.split('/').pop()?.replace('.onnx', '') ?? '';
          return route.fulfill({ body: graphs[name], contentType: 'application/octet-stream' });
        });
        await page.route('**/galileo-e2e/golden.json', (route) => route.fulfill({ path: GALILEO_GOLDEN }));
        await page.route('**/galileo-e2e/golden-pixels.json', (route) =>
          route.fulfill({ path: GALILEO_GOLDEN_PIXELS }),
        );
        const query = new URLSearchParams({
          ep,
          threads: String(options.threads ?? 1),
          pixels: String(options.pixels ?? 0),
          cases: cases.join(','),
        });
        await page.goto(`${origin}${PAGE}?${query}`);
        await page.waitForFunction(() => window.__galileoResult !== undefined, null, {
          timeout: 400_000,
          polling: 200,
        });
        const reply = await page.evaluate(() => window.__galileoResult);
        expect(errors).toEqual([]);
        if (!reply) throw new Error('the page left no result');
        return reply;
      } finally {
        await page.close();
      }
    }

    it('fp32 on WASM: max |diff| < 1e-4 on every golden case', async () => {
      const reply = await run('fp32', 'wasm', { threads: 2 });
      if (!reply.ok) throw new Error(reply.error);
      console.info(
        `galileo wasm fp32: session ${reply.sessionCreateMs.toFixed(0)} ms`,
        JSON.stringify(reply.results),
      );
      expect(reply.results.map((r) => r.name)).toEqual(ALL);
      for (const r of reply.results) expect(r.maxDiff, r.name).toBeLessThan(1e-4);
    }, 420_000);

    for (const [dtype, cosine] of [
      ['fp16', 0.999],
      ['int8', 0.99],
    ] as const) {
      it(`${dtype} on WASM: cosine >= ${cosine} on every golden case`, async () => {
        const reply = await run(dtype, 'wasm');
        if (!reply.ok) throw new Error(reply.error);
        expect(reply.results).toHaveLength(ALL.length);
        for (const r of reply.results)
          expect(r.minCosine, `${dtype} ${r.name}`).toBeGreaterThanOrEqual(cosine);
      }, 420_000);
    }

    // WebGPU here is SwiftShader (on the CPU) and slow, mostly shader compilation for each new
    // graph and shape (the native-patch case a alone took over a minute): the first 2 pixels of
    // the pixel graph the app ships, at one and four dates in fp32, four dates in fp16. The
    // patch graphs are not shipped; WASM checks every case above.
    for (const [dtype, bound, cases] of [
      ['fp32', { maxDiff: 1e-4, cosine: 0.99999 }, ['d_T1_p1_pixels', 'e_T4_p1_pixels']],
      ['fp16', { maxDiff: 0.01, cosine: 0.999 }, ['e_T4_p1_pixels']],
    ] as const) {
      it(`${dtype} on WebGPU (SwiftShader): within its bounds on the shipped pixel graph`, async () => {
        const reply = await run(dtype, 'webgpu', { pixels: 2, cases: [...cases] });
        if (!reply.ok) throw new Error(reply.error);
        console.info(`galileo webgpu ${dtype}`, JSON.stringify(reply.results));
        expect(reply.results.map((r) => r.name)).toEqual(cases);
        for (const r of reply.results) {
          expect(r.maxDiff, `${dtype} ${r.name}`).toBeLessThan(bound.maxDiff);
          expect(r.minCosine, `${dtype} ${r.name}`).toBeGreaterThanOrEqual(bound.cosine);
        }
      }, 420_000);
    }
  },
);
