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
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
