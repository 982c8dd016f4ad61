import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAppServer } from '../../scripts/app-server.ts';
import { DEFAULT_DATA_DIR } from '../../scripts/pack-demo.ts';
import { buildServedApp, copyServedApp, PREBUILT_APP_ENV } from '../../scripts/served-app-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    skipReason: string;
    artifactsDir: string;
    /** The served packs folder: a test may add a pack before it opens the app. */
    packsDir: string;
  }
}

/**
 * Builds the app (vite build into a temp folder) and the demo packs from ../shared with the
 * project's own pack builder (or takes a copy of those `npm test` built), then serves both with
 * the project's own server, as `npm start` does. Without ../shared the end-to-end tests skip
 * and say why.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(import.meta.dirname, '../..');
  const artifactsDir = join(root, 'artifacts', 'e2e');
  mkdirSync(artifactsDir, { recursive: true });
  project.provide('artifactsDir', artifactsDir);
  if (!existsSync(join(DEFAULT_DATA_DIR, 's2'))) {
    project.provide('appUrl', '');
    project.provide('packsDir', '');
    project.provide(
      'skipReason',
      `end-to-end tests skipped: ${DEFAULT_DATA_DIR} is absent (the demo packs are built from it)`,
    );
    return async () => undefined;
  }
  const work = mkdtempSync(join(tmpdir(), 'eee-e2e-'));
  const distDir = join(work, 'dist');
  const packsDir = join(work, 'packs');
  // Presto and Galileo-nano, converted by the project's converter, are part of the served app
  // (public/models/). `npm test` builds it once for its two processes with browser tests.
  const prebuilt = process.env[PREBUILT_APP_ENV];
  if (prebuilt && existsSync(join(prebuilt, 'dist'))) copyServedApp(prebuilt, work);
  else await buildServedApp(root, work);
  const { server, url } = await startAppServer({ distDir, packsDir });
  project.provide('appUrl', url);
  project.provide('packsDir', packsDir);
  project.provide('skipReason', '');
  return async () => {
    await new Promise((done) => server.close(done));
    rmSync(work, { recursive: true, force: true });
  };
}
