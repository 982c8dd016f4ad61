import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjectVite } from '../../bench/vite-server.ts';
import { buildPrestoOnnx } from '../../models/convert/presto-graph.ts';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import type { WeightDtype } from '../../models/convert/weight-store.ts';
import { CHECKPOINT_PATH, GOLDEN_PATH, missing } from '../encoder/presto-fixtures.ts';
import { leaseChromium } from './chromium.ts';
import { expectWithin } from './golden-bounds.ts';
import type { PrestoModelResult } from './presto/protocol.ts';

const skip = missing(CHECKPOINT_PATH) || missing(GOLDEN_PATH);
const PAGE = '/tests/e2e/presto/presto-web.html';
const ALL = ['s2_single_timestep', 's2_twelve_months', 'all_channels'];
/** The golden cases with the token layout the app runs: Sentinel-2 bands (and NDVI) only. */
const S2_CASES = ['s2_single_timestep', 's2_twelve_months'];

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
      browser = await leaseChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    /** One page and worker runs every model in `dtypes` (one ORT and WebGPU setup). */
    async function run(
      ep: 'wasm' | 'webgpu',
      threads: number,
      pixels: number,
      dtypes: readonly WeightDtype[],
      cases: readonly string[] = ALL,
    ): Promise<Map<string, PrestoModelResult>> {
      const page: Page = await browser.newPage();
      try {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // The test process serves the models it just converted and the golden file by path.
        await page.route('**/presto-e2e/model-*.onnx', (route) => {
          const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
          const model = models.get(name.replace(/^model-|\.onnx$/g, '') as WeightDtype);
          if (!model) return route.fulfill({ status: 404 });
          return route.fulfill({ body: model, contentType: 'application/octet-stream' });
        });
        await page.route('**/presto-e2e/golden.json', (route) =>
          route.fulfill({ body: golden, contentType: 'application/json' }),
        );
        const query = new URLSearchParams({
          ep,
          threads: String(threads),
          pixels: String(pixels),
          dtypes: dtypes.join(','),
          cases: cases.join(','),
        });
        await page.goto(`${origin}${PAGE}?${query}`);
        await page.waitForFunction(() => window.__prestoResult !== undefined, null, {
          timeout: 220_000,
          polling: 200,
        });
        const reply = await page.evaluate(() => window.__prestoResult);
        expect(errors).toEqual([]);
        if (!reply) throw new Error('the page left no result');
        if (!reply.ok) throw new Error(`${ep} ${dtypes.join('+')}: ${reply.error}`);
        return new Map(reply.models.map((m) => [m.dtype, m]));
      } finally {
        await page.close();
      }
    }

    /** Runs shared by several tests start once, when the first of them asks. */
    const once = <T>(start: () => Promise<T>): (() => Promise<T>) => {
      let promise: Promise<T> | undefined;
      return () => {
        promise ??= start();
        return promise;
      };
    };
    const wasmQuantised = once(() => run('wasm', 1, 0, ['fp16', 'int8']));
    // WebGPU here is SwiftShader (on the CPU): mostly shader compilation per graph and shape,
    // and the all-channels case (S1, ERA5, SRTM and Dynamic World tokens present) alone ran
    // ~4.5 s for 2 pixels. The app feeds Presto S2 bands and NDVI only, so WebGPU checks the
    // two S2 cases (first 2 pixels), fp32 and fp16 in one worker; WASM checks all three.
    const webgpu = once(() => run('webgpu', 1, 2, ['fp32', 'fp16'], S2_CASES));

    it('wasm execution provider: max |diff| < 1e-4 in all three cases', async () => {
      const fp32 = (await run('wasm', 2, 0, ['fp32'])).get('fp32');
      expectWithin('presto wasm fp32', fp32, ALL, { maxDiff: 1e-4, cosineAbove: 0.99999 });
    }, 240_000);

    it('webgpu execution provider (SwiftShader): max |diff| < 1e-4 in the two S2 cases the app runs', async () => {
      const fp32 = (await webgpu()).get('fp32');
      expectWithin('presto webgpu fp32', fp32, S2_CASES, { maxDiff: 1e-4, cosineAbove: 0.99999 });
    }, 240_000);

    // The quantised variants as the app runs them: int8 on WASM (its choice without a GPU),
    // fp16 on WASM and on WebGPU (its choice with shader-f16), within their accuracy bounds.
    for (const [dtype, ep, cosine] of [
      ['fp16', 'wasm', 0.999],
      ['int8', 'wasm', 0.99],
    ] as const) {
      it(`${dtype} on ${ep}: cosine >= ${cosine} to the golden embeddings in all three cases`, async () => {
        expectWithin(`presto ${dtype} ${ep}`, (await wasmQuantised()).get(dtype), ALL, { cosine });
      }, 240_000);
    }

    it('fp16 on webgpu (SwiftShader): cosine >= 0.999 to the golden embeddings in the two S2 cases', async () => {
      expectWithin('presto fp16 webgpu', (await webgpu()).get('fp16'), S2_CASES, { cosine: 0.999 });
    }, 240_000);
  },
);
