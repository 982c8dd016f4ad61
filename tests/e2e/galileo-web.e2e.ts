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
import { leaseChromium } from './chromium.ts';
import type { GalileoRunResult, GalileoWebPlan } from './galileo/protocol.ts';
import { expectWithin } from './golden-bounds.ts';

const skip = missingGalileo(GALILEO_CHECKPOINT, GALILEO_GOLDEN, GALILEO_GOLDEN_PIXELS);
const PAGE = '/tests/e2e/galileo/galileo-web.html';
const ALL = ['a_T1_p8', 'b_T4_p8', 'c_T1_p4', 'd_T1_p1_pixels', 'e_T4_p1_pixels'];

describe.skipIf(skip)(
  'Galileo-nano in Chromium (onnxruntime-web in a worker) reproduces the golden vectors',
  () => {
    let server: ViteDevServer;
    let browser: Browser;
    let origin = '';
    let weights: ReturnType<typeof readTorchCheckpoint> | undefined;
    /** Converted graphs by `${dtype}-p${patch}`: each conversion takes seconds, so once each. */
    const graphs = new Map<string, Buffer>();

    beforeAll(async () => {
      server = await startProjectVite();
      origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
      browser = await leaseChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    function graph(name: string): Buffer | undefined {
      const match = /^(fp32|fp16|int8)-p(\d+)$/.exec(name);
      if (!match) return undefined;
      let bytes = graphs.get(name);
      if (!bytes) {
        weights ??= readTorchCheckpoint(readFileSync(GALILEO_CHECKPOINT));
        const dtype = match[1] as WeightDtype;
        const patch = Number(match[2]);
        bytes = Buffer.from(
          patch === 1 ? buildGalileoPixelOnnx(weights, dtype) : buildGalileoPatchOnnx(weights, dtype, patch),
        );
        graphs.set(name, bytes);
      }
      return bytes;
    }

    /** One page and worker runs every weight type in `runs` (one ORT and WebGPU setup). */
    async function run(
      ep: 'wasm' | 'webgpu',
      runs: GalileoWebPlan['runs'],
      options: { threads?: number; pixels?: number } = {},
    ): Promise<Map<string, GalileoRunResult>> {
      const plan: GalileoWebPlan = {
        executionProvider: ep,
        threads: options.threads ?? 1,
        pixels: options.pixels ?? 0,
        runs,
      };
      const page: Page = await browser.newPage();
      try {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // The test process serves the plan, the graphs it converts and the golden files by path.
        await page.route('**/galileo-e2e/*.onnx', (route) => {
          const name = new URL(route.request().url()).pathname.split('/').pop()?.replace('.onnx', '') ?? '';
          const body = graph(name);
          if (!body) return route.fulfill({ status: 404 });
          return route.fulfill({ body, contentType: 'application/octet-stream' });
        });
        await page.route('**/galileo-e2e/plan.json', (route) => route.fulfill({ json: plan }));
        await page.route('**/galileo-e2e/golden.json', (route) => route.fulfill({ path: GALILEO_GOLDEN }));
        await page.route('**/galileo-e2e/golden-pixels.json', (route) =>
          route.fulfill({ path: GALILEO_GOLDEN_PIXELS }),
        );
        await page.goto(`${origin}${PAGE}`);
        await page.waitForFunction(() => window.__galileoResult !== undefined, null, {
          timeout: 400_000,
          polling: 200,
        });
        const reply = await page.evaluate(() => window.__galileoResult);
        expect(errors).toEqual([]);
        if (!reply) throw new Error('the page left no result');
        if (!reply.ok) throw new Error(reply.error);
        return new Map(reply.runs.map((r) => [r.dtype, r]));
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
    const wasmQuantised = once(() =>
      run('wasm', [
        { dtype: 'fp16', cases: ALL },
        { dtype: 'int8', cases: ALL },
      ]),
    );
    // WebGPU here is SwiftShader (on the CPU) and slow, mostly shader compilation for each new
    // graph and shape (the native-patch case a alone took over a minute): the first 2 pixels of
    // the pixel graph the app ships, at one and four dates in fp32, four dates in fp16, both in
    // one worker. The patch graphs are not shipped; WASM checks every case above.
    const webgpu = once(() =>
      run(
        'webgpu',
        [
          { dtype: 'fp32', cases: ['d_T1_p1_pixels', 'e_T4_p1_pixels'] },
          { dtype: 'fp16', cases: ['e_T4_p1_pixels'] },
        ],
        { pixels: 2 },
      ),
    );

    it('fp32 on WASM: max |diff| < 1e-4 on every golden case', async () => {
      const fp32 = (await run('wasm', [{ dtype: 'fp32', cases: ALL }], { threads: 2 })).get('fp32');
      expectWithin('galileo wasm fp32', fp32, ALL, { maxDiff: 1e-4 });
    }, 420_000);

    for (const [dtype, cosine] of [
      ['fp16', 0.999],
      ['int8', 0.99],
    ] as const) {
      it(`${dtype} on WASM: cosine >= ${cosine} on every golden case`, async () => {
        expectWithin(`galileo wasm ${dtype}`, (await wasmQuantised()).get(dtype), ALL, { cosine });
      }, 420_000);
    }

    for (const [dtype, bound, cases] of [
      ['fp32', { maxDiff: 1e-4, cosine: 0.99999 }, ['d_T1_p1_pixels', 'e_T4_p1_pixels']],
      ['fp16', { maxDiff: 0.01, cosine: 0.999 }, ['e_T4_p1_pixels']],
    ] as const) {
      it(`${dtype} on WebGPU (SwiftShader): within its bounds on the shipped pixel graph`, async () => {
        expectWithin(`galileo webgpu ${dtype}`, (await webgpu()).get(dtype), cases, bound);
      }, 420_000);
    }
  },
);
