import { serializeError } from '../../src/lib/errors.ts';
import { EXIT, exitKindOf, UsageError } from './exit-codes.ts';

export { parseOptions } from './validate.ts';

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

/** A JSON warning line on stderr, and the same words for a person. */
export function warn(message: string, extra: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ event: 'warning', message, ...extra })}\n`);
  process.stderr.write(`warning: ${message}\n`);
}

/** The JSON summary on stdout. */
export function summary(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Prints {"event":"error","kind","exit","code","message"} on stderr and returns the exit code:
 * EXIT.usage, EXIT.input, EXIT.runtime or EXIT.cancelled (exit-codes.ts). A string is a usage error.
 */
export function fail(error: unknown): number {
  const thrown = typeof error === 'string' ? new UsageError(error) : error;
  const e = serializeError(thrown);
  const kind = exitKindOf(thrown);
  const exit = EXIT[kind];
  process.stderr.write(
    `${JSON.stringify({ event: 'error', kind, exit, code: e.code, message: e.message })}\n`,
  );
  process.stderr.write(`error: ${e.message}\n`);
  return exit;
}
