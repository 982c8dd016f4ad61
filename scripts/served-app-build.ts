import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { convertModelsIfMissing } from './ensure-models.ts';
import { build29RkhPack, buildDolomitesPack, DEFAULT_DATA_DIR } from './pack-demo.ts';

/**
 * What the browser tests serve, as `npm start` does: the built app (`dist/`, with the models the
 * project's converter wrote into public/models/) and the two demo packs from ../shared
 * (`packs/`), in `dir`.
 */
export async function buildServedApp(root: string, dir: string): Promise<void> {
  convertModelsIfMissing(root);
  await build({ root, logLevel: 'warn', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  await buildDolomitesPack(DEFAULT_DATA_DIR, join(dir, 'packs', 'dolomites-2022-06'));
  await build29RkhPack(DEFAULT_DATA_DIR, join(dir, 'packs', 's2-29rkh-2020-02'));
}

/**
 * A served app of its own in `dir` from one built before (`buildServedApp(root, built)`): the
 * packs copied (tests add packs to theirs), the app linked (no test writes to it).
 */
export function copyServedApp(built: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  cpSync(join(built, 'packs'), join(dir, 'packs'), { recursive: true });
  symlinkSync(join(built, 'dist'), join(dir, 'dist'), 'dir');
}

/**
 * Set by `npm test` (scripts/test-all.ts) to the folder it built once with `buildServedApp`, so
 * that its two processes with browser tests do not both build the app and the packs.
 */
export const PREBUILT_APP_ENV = 'EEE_PREBUILT_APP';
