import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GalileoGoldenCase, GalileoGoldenFile } from './galileo-golden-cases.ts';

/** Real Galileo-nano files in ../shared (read by path, never copied). */
export const GALILEO_DIR = resolve(import.meta.dirname, '../../../shared/models/galileo-nano');
export const GALILEO_CHECKPOINT = resolve(GALILEO_DIR, 'encoder.pt');
export const GALILEO_GOLDEN = resolve(GALILEO_DIR, 'golden/galileo_golden.json');
export const GALILEO_GOLDEN_PIXELS = resolve(GALILEO_DIR, 'golden/galileo_golden_pixels.json');

/** Why a test needing `paths` skips, logged so the skip is visible; '' when they are there. */
export function missingGalileo(...paths: string[]): string {
  const absent = paths.filter((p) => !existsSync(p));
  if (absent.length === 0) return '';
  const reason = `skipped: ${absent.join(', ')} absent (Galileo tests read the real checkpoint and golden files from ../shared)`;
  console.warn(reason);
  return reason;
}

export function readGalileoGolden(path: string): GalileoGoldenFile & Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as GalileoGoldenFile & Record<string, unknown>;
}

/** Every golden case: a-c (patch 8 and 4) and d-e (one pixel per sample, patch 1). */
export function allGalileoCases(): GalileoGoldenCase[] {
  return [...readGalileoGolden(GALILEO_GOLDEN).cases, ...readGalileoGolden(GALILEO_GOLDEN_PIXELS).cases];
}
