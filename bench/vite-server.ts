import { resolve } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';

/**
 * A Vite dev server with the project's own config, so /ort/ (onnxruntime-web's WASM) and the
 * COOP/COEP headers (cross-origin isolation, hence WASM threads) are exactly the app's. Used by
 * the browser benchmarks and browser tests that load pages under bench/browser/.
 */
export async function startProjectVite(): Promise<ViteDevServer> {
  const server = await createServer({
    configFile: resolve('vite.config.ts'),
    root: resolve('.'),
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  return server;
}
