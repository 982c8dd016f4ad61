import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { startAppServer } from '../../scripts/app-server.ts';
import { convertModelsIfMissing } from '../../scripts/ensure-models.ts';
import { build29RkhPack, buildDolomitesPack, DEFAULT_DATA_DIR } from '../../scripts/pack-demo.ts';

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
 * project's own pack builder, then serves both with the project's own server, as `npm start`
 * does. Without ../shared the end-to-end tests skip and say why.
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
  // Presto and Galileo-nano, converted by the project's converter, are part of the served app (public/models/).
  convertModelsIfMissing(root);
  await build({ root, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  await buildDolomitesPack(DEFAULT_DATA_DIR, join(packsDir, 'dolomites-2022-06'));
  await build29RkhPack(DEFAULT_DATA_DIR, join(packsDir, 's2-29rkh-2020-02'));
  const { server, url } = await startAppServer({ distDir, packsDir });
  project.provide('appUrl', url);
  project.provide('packsDir', packsDir);
  project.provide('skipReason', '');
  return async () => {
    await new Promise((done) => server.close(done));
    rmSync(work, { recursive: true, force: true });
  };
}
