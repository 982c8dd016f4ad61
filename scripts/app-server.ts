import { resolve } from 'node:path';
import type { ConnectionLimits } from '../server/http-limits.ts';
import { startStaticServer } from '../server/static-server.ts';

/**
 * The app's production server: the built app at / (same-origin, COOP/COEP, its CSP as a
 * header), packs at /packs/ (range requests, readable cross-origin). `connectOrigins` are the
 * origins the app may read from besides its own and Earth Search (`ALLOW_ORIGINS`).
 */
export function startAppServer(options: {
  distDir: string;
  packsDir: string;
  port?: number;
  host?: string;
  connectOrigins?: readonly string[];
  limits?: Partial<ConnectionLimits>;
}) {
  return startStaticServer({
    mounts: [
      { prefix: '/', dir: resolve(options.distDir), role: 'app', spaFallback: true },
      { prefix: '/packs/', dir: resolve(options.packsDir), role: 'data' },
    ],
    packsDir: resolve(options.packsDir),
    host: options.host,
    port: options.port,
    ...(options.connectOrigins ? { connectOrigins: options.connectOrigins } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}
