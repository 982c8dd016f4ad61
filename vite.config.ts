import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { handleRequest } from './server/static-server.ts';

const ORT_DIST = resolve('node_modules/onnxruntime-web/dist');
/**
 * onnxruntime-web's two WASM builds and their loaders, served from /ort/: JSEP (WASM + WebGPU,
 * Asyncify-instrumented) for WebGPU sessions and the plain one, half the size and much quicker
 * to compile and warm up, for WASM sessions (src/lib/encoder/ort-web.ts).
 */
const ORT_FILES = [
  'ort-wasm-simd-threaded.jsep.wasm',
  'ort-wasm-simd-threaded.jsep.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.mjs',
];

/** Serves onnxruntime-web's runtime files from the app itself (no CDN), in dev and in builds. */
function ortRuntimeFiles(): Plugin {
  return {
    name: 'ort-runtime-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.replace(/^\/ort\//, '');
        if (!req.url?.startsWith('/ort/') || !name || !ORT_FILES.includes(name)) return next();
        res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        res.end(readFileSync(join(ORT_DIST, name)));
      });
    },
    generateBundle() {
      for (const name of ORT_FILES)
        this.emitFile({ type: 'asset', fileName: `ort/${name}`, source: readFileSync(join(ORT_DIST, name)) });
    },
  };
}

/** In dev, /packs/ goes through the project's own range-correct server code (see ../shared/docs). */
function packsMiddleware(): Plugin {
  return {
    name: 'packs',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.startsWith('/packs/')) return next();
        void handleRequest(
          { mounts: [{ prefix: '/packs/', dir: resolve('packs') }], packsDir: resolve('packs') },
          req,
          res,
        );
      });
    },
  };
}

/**
 * The page's first script: src/early.ts, its own small entry (the scene worker and what starts
 * the start-up pack's read), loaded `async` ahead of the main script, so it runs while the main
 * script (the map, deck.gl, the UI: megabytes) still downloads and compiles. A worker created
 * later, while the main thread is busy, starts only when that thread yields (bench/README.md).
 */
function earlyStart(): Plugin {
  let base = '/';
  let dev = false;
  return {
    name: 'early-start',
    configResolved(config) {
      base = config.base;
      dev = config.command === 'serve';
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // The app's page only: the test pages the dev server also serves start no read.
        if (ctx.path !== '/index.html') return;
        const entry = dev
          ? 'src/early.ts'
          : Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'early')
              ?.fileName;
        if (!entry) throw new Error('early-start: the early entry (src/early.ts) was not built');
        return [
          {
            tag: 'script',
            attrs: { type: 'module', async: true, crossorigin: true, src: `${base}${entry}` },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Cross-origin isolation on every dev response, the project's own middlewares included:
 * `server.headers` skips them, and a COEP page refuses ORT's thread-worker script (/ort/...mjs)
 * without these headers, after which threaded WASM waits forever.
 */
function isolationOnEveryResponse(): Plugin {
  return {
    name: 'isolation-on-every-response',
    enforce: 'pre',
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        for (const [name, value] of Object.entries(isolation)) res.setHeader(name, value);
        next();
      });
    },
  };
}

export default defineConfig({
  resolve: {
    // The non-bundled builds load their WASM loader from env.wasm.wasmPaths (/ort/), so each
    // binary (28 and 14 MB) is emitted once, by ortRuntimeFiles, instead of also as a hashed asset.
    alias: [
      { find: /^onnxruntime-web$/, replacement: join(ORT_DIST, 'ort.min.mjs') },
      { find: /^onnxruntime-web\/wasm$/, replacement: join(ORT_DIST, 'ort.wasm.min.mjs') },
    ],
  },
  plugins: [
    isolationOnEveryResponse(),
    svelte(),
    ortRuntimeFiles(),
    packsMiddleware(),
    earlyStart(),
    // The built app's Content-Security-Policy is sent as a header by its server
    // (server/security-headers.ts): a <meta> policy does not reach the workers.
  ],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // The first worker import of onnxruntime-web would otherwise trigger a re-optimisation
  // and a full page reload in dev.
  // onnx-proto is pre-bundled up front: the dependency scan does not follow
  // `new Worker(new URL(...))`, and finding it late would reload the page mid-session.
  optimizeDeps: { exclude: ['onnxruntime-web', 'onnxruntime-web/wasm'], include: ['onnx-proto'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { index: resolve('index.html'), early: resolve('src/early.ts') } },
  },
});
