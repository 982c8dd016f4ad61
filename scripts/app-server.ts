import { resolve } from 'node:path';
import { startStaticServer } from '../server/static-server.ts';

/** The app's production server: the built app at /, packs at /packs/ (range requests, COOP/COEP). */
export function startAppServer(options: { root: string; port?: number; host?: string }) {
  return startStaticServer({
    mounts: [
      { prefix: '/', dir: resolve(options.root, 'dist'), spaFallback: true },
      { prefix: '/packs/', dir: resolve(options.root, 'packs') },
    ],
    packsDir: resolve(options.root, 'packs'),
    host: options.host,
    port: options.port,
  });
}
