import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../src/lib/errors.ts';
import { type JobPlan, PLAN_FILE, parsePlan } from '../../src/lib/jobs/index.ts';
import { sha256Hex } from './job-model.ts';

/**
 * `--plan job/` (or job/plan.json): the plan, validated, its SHA-256 (each tile's Item records
 * it, so a tile of an earlier plan in the same folder is never taken as done) and the job folder.
 */
export async function readPlan(path: string): Promise<{ plan: JobPlan; planSha256: string; jobDir: string }> {
  const full = resolve(path);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new AppError('not-found', `--plan ${path} does not exist.`);
  const file = info.isDirectory() ? join(full, PLAN_FILE) : full;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AppError(
      'not-found',
      `--plan ${path} holds no ${PLAN_FILE}; write one with \`npm run cli -- plan\`.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('bad-input', `${file} is not JSON (a damaged or half-copied plan?).`);
  }
  return { plan: parsePlan(json, file), planSha256: sha256Hex(text), jobDir: dirname(file) };
}
