import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GoldenCase } from './presto-golden-cases.ts';

/** Real Presto files in ../shared (read by path, never copied). */
export const PRESTO_DIR = resolve(import.meta.dirname, '../../../shared/models/presto');
export const CHECKPOINT_PATH = resolve(PRESTO_DIR, 'default_model.pt');
export const GOLDEN_PATH = resolve(PRESTO_DIR, 'golden/presto_golden.json');

/** Why a test needing `path` skips, logged so the skip is visible; '' when it is there. */
export function missing(path: string): string {
  if (existsSync(path)) return '';
  const reason = `skipped: ${path} is absent (Presto tests read the real checkpoint and golden file from ../shared)`;
  console.warn(reason);
  return reason;
}

export function readGolden(): GoldenCase[] {
  return (JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as { cases: GoldenCase[] }).cases;
}

export { compare, goldenInputs } from './presto-golden-cases.ts';
