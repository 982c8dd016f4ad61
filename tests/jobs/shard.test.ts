import { describe, expect, it } from 'vitest';
import { resolveShard, shardItems } from '../../src/lib/jobs/shard.ts';

describe('which shard a process runs', () => {
  it('takes --shard I/N first, then the engine index variables, else everything', () => {
    expect(resolveShard('2/4', { JOB_COMPLETION_INDEX: '1' }, 9)).toEqual({
      index: 2,
      count: 4,
      from: 'flag',
    });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '3' }, 9)).toEqual({
      index: 3,
      count: 9,
      from: 'JOB_COMPLETION_INDEX',
    });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '3', EMBED_SHARD_COUNT: '5' }, 9).count).toBe(5);
    expect(
      resolveShard(undefined, { AWS_BATCH_JOB_ARRAY_INDEX: '7', AWS_BATCH_JOB_ARRAY_SIZE: '8' }, 9),
    ).toEqual({ index: 7, count: 8, from: 'AWS_BATCH_JOB_ARRAY_INDEX' });
    expect(resolveShard(undefined, {}, 9)).toEqual({ index: 0, count: 1, from: 'all' });
  });

  it('refuses malformed or impossible shards with a clear message', () => {
    expect(() => resolveShard('4/4', {}, 1)).toThrow(/shard index 4 is not below the shard count 4/);
    expect(() => resolveShard('1-4', {}, 1)).toThrow(/must be I\/N/);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: 'x' }, 4)).toThrow(
      /JOB_COMPLETION_INDEX must be a whole number/,
    );
    expect(() => resolveShard(undefined, { AWS_BATCH_JOB_ARRAY_INDEX: '9' }, 4)).toThrow(
      /not below the shard count 4/,
    );
  });

  it('deals items round-robin: every item to exactly one shard', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    const all = [0, 1, 2, 3].flatMap((index) => shardItems(items, { index, count: 4, from: 'flag' }));
    expect(all.sort((a, b) => a - b)).toEqual(items);
    expect(shardItems(items, { index: 1, count: 4, from: 'flag' })).toEqual([1, 5, 9]);
  });
});
