import { AppError } from '../errors.ts';

/**
 * Which part of a job one process encodes. The batch engine starts N copies of one container
 * and tells each its index in an environment variable: Kubernetes Indexed Jobs set
 * JOB_COMPLETION_INDEX, AWS Batch array jobs AWS_BATCH_JOB_ARRAY_INDEX. Neither says N to the
 * container, so the total comes from SHARD_COUNT_ENV (or AWS_BATCH_JOB_ARRAY_SIZE, which our
 * job definition sets), else the plan's `shards`. Tiles are dealt round-robin: shard i takes
 * tiles i, i + N, i + 2N ... so neighbouring tiles (similar cost) spread over the shards.
 */
export interface Shard {
  index: number;
  count: number;
  /** Where the index came from, for the log line. */
  from: 'flag' | 'JOB_COMPLETION_INDEX' | 'AWS_BATCH_JOB_ARRAY_INDEX' | 'all';
}

/** The environment variable with the total number of shards (set it to the engine's count). */
export const SHARD_COUNT_ENV = 'EMBED_SHARD_COUNT';
export const K8S_INDEX_ENV = 'JOB_COMPLETION_INDEX';
export const AWS_INDEX_ENV = 'AWS_BATCH_JOB_ARRAY_INDEX';
export const AWS_SIZE_ENV = 'AWS_BATCH_JOB_ARRAY_SIZE';

function whole(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0)
    throw new AppError('bad-input', `${what} must be a whole number >= 0; got "${text.slice(0, 40)}".`);
  return value;
}

function checked(index: number, count: number, from: Shard['from'], what: string): Shard {
  if (count < 1) throw new AppError('bad-input', `${what}: the number of shards must be at least 1.`);
  if (index >= count)
    throw new AppError('bad-input', `${what}: shard index ${index} is not below the shard count ${count}.`);
  return { index, count, from };
}

/** The shard from `--shard I/N`, else the engine's variables, else the whole job (0/1). */
export function resolveShard(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  planShards: number,
): Shard {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) throw new AppError('bad-input', `--shard "${flag.slice(0, 40)}" must be I/N, e.g. 0/4.`);
    return checked(Number(m[1]), Number(m[2]), 'flag', `--shard ${flag}`);
  }
  const countFrom = (extra?: string): number => {
    const text = env[SHARD_COUNT_ENV] ?? (extra ? env[extra] : undefined);
    return text === undefined
      ? planShards
      : whole(text, extra && !env[SHARD_COUNT_ENV] ? extra : SHARD_COUNT_ENV);
  };
  const k8s = env[K8S_INDEX_ENV];
  if (k8s !== undefined) return checked(whole(k8s, K8S_INDEX_ENV), countFrom(), K8S_INDEX_ENV, K8S_INDEX_ENV);
  const aws = env[AWS_INDEX_ENV];
  if (aws !== undefined)
    return checked(whole(aws, AWS_INDEX_ENV), countFrom(AWS_SIZE_ENV), AWS_INDEX_ENV, AWS_INDEX_ENV);
  return { index: 0, count: 1, from: 'all' };
}

/** The items of `shard`, round-robin. */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index);
}
