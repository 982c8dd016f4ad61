import { describe, expect, it } from 'vitest';
import {
  autoBudget,
  DEFAULT_BUDGET,
  type EntryInfo,
  MIN_AUTO_BUDGET,
  planEviction,
  summarize,
  validBudget,
} from '../../src/lib/cache/budget.ts';
import { formatBytes } from '../../src/lib/text/index.ts';

const entry = (key: string, size: number, lastUsed: number, kind: EntryInfo['kind'] = 'tile'): EntryInfo => ({
  key,
  kind,
  size,
  lastUsed,
});

describe('cache budget and least-recently-used eviction', () => {
  it('evicts nothing while the total fits, exactly at the budget included', () => {
    const entries = [entry('a', 40, 1), entry('b', 60, 2)];
    expect(planEviction(entries, 100)).toEqual([]);
    expect(planEviction([], 0)).toEqual([]);
  });

  it('evicts the least recently used first, and only as many as needed', () => {
    const entries = [
      entry('new', 30, 30),
      entry('old', 30, 10),
      entry('mid', 30, 20),
      entry('newest', 30, 40),
    ];
    // 120 bytes, budget 70: the two oldest go (60 bytes), leaving 60.
    expect(planEviction(entries, 70)).toEqual(['old', 'mid']);
    expect(planEviction(entries, 90)).toEqual(['old']);
    expect(planEviction(entries, 0)).toEqual(['old', 'mid', 'new', 'newest']);
  });

  it('kinds do not matter to the order: an old embedding goes before a fresh tile', () => {
    const entries = [entry('tile', 10, 5), entry('emb', 50, 1, 'embedding')];
    expect(planEviction(entries, 20)).toEqual(['emb']);
  });

  it('among entries used at the same time, the larger goes first (fewer deletions)', () => {
    const entries = [entry('small', 10, 1), entry('large', 50, 1), entry('later', 10, 2)];
    expect(planEviction(entries, 25)).toEqual(['large']);
  });

  it('summarises entries and bytes per kind', () => {
    const s = summarize([entry('a', 10, 1), entry('b', 5, 2), entry('e', 100, 3, 'embedding')]);
    expect(s.entries).toBe(3);
    expect(s.bytes).toBe(115);
    expect(s.byKind.tile).toEqual({ entries: 2, bytes: 15 });
    expect(s.byKind.embedding).toEqual({ entries: 1, bytes: 100 });
    expect(s.byKind.search).toEqual({ entries: 0, bytes: 0 });
  });

  it('automatic budget: 1 GB, or a fifth of a small quota, never under the floor', () => {
    expect(autoBudget(undefined)).toBe(DEFAULT_BUDGET);
    expect(autoBudget(Number.NaN)).toBe(DEFAULT_BUDGET);
    expect(autoBudget(0)).toBe(DEFAULT_BUDGET);
    expect(autoBudget(300e9)).toBe(DEFAULT_BUDGET);
    expect(autoBudget(2e9)).toBe(400e6);
    expect(autoBudget(100e6)).toBe(MIN_AUTO_BUDGET);
  });

  it('accepts only positive whole budgets; anything else means automatic', () => {
    expect(validBudget(16e6)).toBe(16e6);
    for (const bad of [null, undefined, 0, -1, 1.5, '16000000', Number.POSITIVE_INFINITY])
      expect(validBudget(bad)).toBeNull();
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(16e6)).toBe('16.0 MB');
    expect(formatBytes(256e6)).toBe('256 MB');
    expect(formatBytes(1e9)).toBe('1.0 GB');
    expect(formatBytes(512e3)).toBe('512 kB');
    expect(formatBytes(100)).toBe('100 B');
  });
});
