import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RUN_OPTIONS, command as run } from '../../scripts/cli/run-plan.ts';
import { WRITE_MODE_ENV } from '../../scripts/jobs/tile-files.ts';
import { K8S_INDEX_ENV, resolveShard, SHARD_COUNT_ENV } from '../../src/lib/jobs/shard.ts';
import { ROOT } from './helpers.ts';

/**
 * The deployment files in docs/ run the real CLI: their command lines use only `run`'s real
 * options and are accepted by it, their variables are the ones the CLI reads, and the shard
 * total they set matches the engine's count.
 */
const docs = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');
const KNOWN_ENV = new Set([SHARD_COUNT_ENV, WRITE_MODE_ENV, 'NODE_OPTIONS']);

/** The --flags of an argument list, each one `run` accepts. */
function flagsOf(args: readonly string[]): string[] {
  return args.filter((a) => a.startsWith('--')).map((a) => a.slice(2));
}

/** Runs `run` with the manifest's arguments, the plan path swapped for a missing folder. */
async function accepted(args: string[], planPath: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'manifest-'));
  try {
    const swapped = args.slice(1).map((a) => (a === planPath ? join(dir, 'missing') : a));
    const error = await run.run(swapped).then(
      () => new Error('ran'),
      (e: unknown) => e as Error,
    );
    return `${error.name}: ${error.message}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface K8sJob {
  kind: string;
  spec: {
    completionMode: string;
    completions: number;
    template: {
      spec: {
        containers: {
          args: string[];
          env: { name: string; value: string }[];
          volumeMounts: { mountPath: string }[];
        }[];
      };
    };
  };
}

describe('docs/ deployment files match the CLI', () => {
  it('the Dockerfile runs scripts/cli.ts through tsx, without a browser', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const entry = /^ENTRYPOINT (.+)$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(entry ?? '[]')).toEqual(['node', '--import', 'tsx', 'scripts/cli.ts']);
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).not.toMatch(/chromium|playwright install/i);
    expect(readFileSync(join(ROOT, 'scripts/cli.ts'), 'utf8')).toContain("KNOWN.push('run');");
  });

  it('the Kubernetes Indexed Job runs `run --plan` on its mounted job folder with the right shard count', async () => {
    const job = parse(docs('k8s-indexed-job.yaml')) as K8sJob;
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const container = job.spec.template.spec.containers[0]!;
    expect(container.args[0]).toBe('run');
    expect(flagsOf(container.args).filter((f) => !(f in RUN_OPTIONS))).toEqual([]);
    const plan = container.args[container.args.indexOf('--plan') + 1]!;
    expect(container.volumeMounts.map((m) => m.mountPath)).toContain(plan);
    expect(container.env.filter((e) => !KNOWN_ENV.has(e.name))).toEqual([]);
    const count = container.env.find((e) => e.name === SHARD_COUNT_ENV)?.value;
    expect(Number(count)).toBe(job.spec.completions);
    // The index Kubernetes gives the last pod, with that total, is a valid shard.
    const env = { [K8S_INDEX_ENV]: String(job.spec.completions - 1), [SHARD_COUNT_ENV]: count };
    expect(resolveShard(undefined, env, 1)).toMatchObject({ index: 63, count: 64 });
    // `run` accepts the command line: it fails only on the (here missing) plan, not on usage.
    expect(await accepted(container.args, plan)).toMatch(/^AppError: --plan .*missing does not exist/);
  });

  it('the AWS Batch job definition runs `run --plan` on its mount; the array size is the shard count', async () => {
    const definition = JSON.parse(docs('aws-batch-job.json')) as {
      containerProperties: {
        command: string[];
        environment: { name: string; value: string }[];
        mountPoints: { containerPath: string }[];
      };
      retryStrategy: { evaluateOnExit: { onExitCode?: string; action: string }[] };
    };
    const submit = JSON.parse(docs('aws-batch-submit.json')) as {
      arrayProperties: { size: number };
      jobDefinition: string;
    };
    const { command, environment, mountPoints } = definition.containerProperties;
    expect(command[0]).toBe('run');
    expect(flagsOf(command).filter((f) => !(f in RUN_OPTIONS))).toEqual([]);
    const plan = command[command.indexOf('--plan') + 1]!;
    expect(mountPoints.map((m) => m.containerPath)).toContain(plan);
    expect(environment.filter((e) => !KNOWN_ENV.has(e.name))).toEqual([]);
    expect(Number(environment.find((e) => e.name === SHARD_COUNT_ENV)?.value)).toBe(
      submit.arrayProperties.size,
    );
    // Usage (2) and input (3) errors are not retried; runtime failures (1) are.
    const actions = Object.fromEntries(
      definition.retryStrategy.evaluateOnExit
        .filter((e) => e.onExitCode)
        .map((e) => [e.onExitCode, e.action]),
    );
    expect(actions).toEqual({ '1': 'RETRY', '2': 'EXIT', '3': 'EXIT' });
    expect(await accepted(command, plan)).toMatch(/^AppError: --plan .*missing does not exist/);
  });
});
