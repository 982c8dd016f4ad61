import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The converted models the served app needs (public/models/<id>/manifest.json each). */
const SERVED_MODELS = ['presto', 'galileo-nano'];

/**
 * Converts the models with `npm run models` (scripts/build-models.ts) when any is missing from
 * public/models/; output goes to this process's terminal. Throws when the conversion fails.
 * Shared by the e2e global setup and `npm test`, which calls it once before two setups start.
 */
export function convertModelsIfMissing(root: string): void {
  if (SERVED_MODELS.every((id) => existsSync(join(root, 'public/models', id, 'manifest.json')))) return;
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build-models.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
}
