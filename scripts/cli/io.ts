import { type ParseArgsConfig, parseArgs } from 'node:util';
import { serializeError } from '../../src/lib/errors.ts';

/** One CLI command: `usage` text and `run` returning the exit code. */
export interface CliCommand {
  usage: string;
  run(args: string[]): Promise<number>;
}

/** A JSON progress line on stderr: {"event":"progress","stage":...,"done":...,"total":...}. */
export function progress(
  stage: string,
  done: number,
  total: number,
  extra: Record<string, unknown> = {},
): void {
  process.stderr.write(`${JSON.stringify({ event: 'progress', stage, done, total, ...extra })}\n`);
}

/** The JSON summary on stdout. */
export function summary(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints {"event":"error","code","message"} on stderr and returns the exit code (2 for bad input). */
export function fail(error: unknown): number {
  const e =
    typeof error === 'string'
      ? { name: 'UsageError', code: 'bad-input' as const, message: error }
      : serializeError(error);
  process.stderr.write(`${JSON.stringify({ event: 'error', code: e.code, message: e.message })}\n`);
  process.stderr.write(`error: ${e.message}\n`);
  return e.code === 'bad-input' || e.code === 'not-found' || e.code === 'unsupported' ? 2 : 1;
}

/** node:util parseArgs, with unknown options reported as bad input. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  return parseArgs({ args, options, allowPositionals: false, strict: true });
}
