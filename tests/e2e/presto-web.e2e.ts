import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjectVite } from '../../bench/vite-server.ts';
import { buildPrestoOnnx } from '../../models/convert/presto-graph.ts';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import type { WeightDtype } from '../../models/convert/weight-store.ts';
import { CHECKPOINT_PATH, GOLDEN_PATH, missing } from '../encoder/presto-fixtures.ts';
import { launchChromium } from './chromium.ts';
import type { PrestoWebReply } from './presto/protocol.ts';

const skip = missing(CHECKPOINT_PATH) || missing(GOLDEN_PATH);
const PAGE = '/tests/e2e/presto/presto-web.html';

describe.skipIf(skip)(
  'Presto fp32 in Chromium (onnxruntime-web in a worker) reproduces the golden embeddings',
  () => {
    let server: ViteDevServer;
    let browser: Browser;
    let origin = '';
    const models = new Map<WeightDtype, Buffer>();
    let golden: Buffer;

    beforeAll(async () => {
      const weights = readTorchCheckpoint(readFileSync(CHECKPOINT_PATH));
      for (const dtype of ['fp32', 'fp16', 'int8'] as const)
        models.set(dtype, Buffer.from(buildPrestoOnnx(weights, dtype)));
      golden = readFileSync(GOLDEN_PATH);
      server = await startProjectVite();
      origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    async function run(
      ep: 'wasm' | 'webgpu',
      threads: number,
      pixels: number,
      dtype: WeightDtype = 'fp32',
    ): Promise<PrestoWebReply> {
      const model = models.get(dtype);
      if (!model) throw new Error(`no ${dtype} model`);
      const page: Page = await browser.newPage();
      try {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // The test process serves the model it just converted and the golden file by path.
        await page.route('**/presto-e2e/model.onnx', (route) =>
          route.fulfill({ body: model, contentType: 'application/octet-stream' }),
        );
        await page.route('**/presto-e2e/golden.json', (route) =>
          route.fulfill({ body: golden, contentType: 'application/json' }),
        );
        await page.goto(`${origin}${PAGE}?ep=${ep}&threads=${threads}&pixels=${pixels}`);
        await page.waitForFunction(() => window.__prestoResult !== undefined, null, {
          timeout: 220_000,
          polling: 200,
        });
        const reply = await page.evaluate(() => window.__prestoResult);
        expect(errors).toEqual([]);
        if (!reply) throw new Error('the page left no result');
        return reply;
      } finally {
        await page.close();
      }
    }

    // WebGPU here is SwiftShader (on the CPU): about a minute for 2 pixels per case, mostly
    // shader compilation; all 16 pixels take ~150 s, so it checks the first 2 of each case.
    for (const [ep, threads, pixels] of [
      ['wasm', 2, 0],
      ['webgpu', 1, 2],
    ] as const) {
      it(`${ep} execution provider: max |diff| < 1e-4 in all three cases`, async () => {
        const reply = await run(ep, threads, pixels);
        if (!reply.ok) throw new Error(`${ep}: ${reply.error}`);
        console.info(
          `presto ${ep}: session ${reply.sessionCreateMs.toFixed(0)} ms`,
          JSON.stringify(reply.results),
        );
        expect(reply.results.map((r) => r.name)).toEqual([
          's2_single_timestep',
          's2_twelve_months',
          'all_channels',
        ]);
        for (const r of reply.results) {
          expect(r.maxDiff, `${ep} ${r.name}`).toBeLessThan(1e-4);
          expect(r.minCosine, `${ep} ${r.name}`).toBeGreaterThan(0.99999);
        }
      }, 240_000);
    }

    // The quantised variants as the app runs them: int8 on WASM (its choice without a GPU),
    // fp16 on WASM and on WebGPU (its choice with shader-f16), within their accuracy bounds.
    for (const [dtype, ep, pixels, cosine] of [
      ['fp16', 'wasm', 0, 0.999],
      ['int8', 'wasm', 0, 0.99],
      ['fp16', 'webgpu', 2, 0.999],
    ] as const) {
      it(`${dtype} on ${ep}: cosine >= ${cosine} to the golden embeddings in all three cases`, async () => {
        const reply = await run(ep, 1, pixels, dtype);
        if (!reply.ok) throw new Error(`${dtype} ${ep}: ${reply.error}`);
        expect(reply.results).toHaveLength(3);
        for (const r of reply.results)
          expect(r.minCosine, `${dtype} ${ep} ${r.name}`).toBeGreaterThanOrEqual(cosine);
      }, 240_000);
    }
  },
);
