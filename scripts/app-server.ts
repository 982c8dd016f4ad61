import { resolve } from 'node:path';
import { startStaticServer } from '../server/static-server.ts';

/** The app's production server: the built app at /, packs at /packs/ (range requests, COOP/COEP). */
export function startAppServer(options: { distDir: string; packsDir: string; port?: number; host?: string }) {
  return startStaticServer({
    mounts: [
      { prefix: '/', dir: resolve(options.distDir), spaFallback: true },
      { prefix: '/packs/', dir: resolve(options.packsDir) },
    ],
    packsDir: resolve(options.packsDir),
    host: options.host,
    port: options.port,
  });
}
