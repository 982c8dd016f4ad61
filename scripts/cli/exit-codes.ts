import { AppError, type ErrorCode, serializeError } from '../../src/lib/errors.ts';

/**
 * Exit codes of every CLI command (documented in README.md and `npm run cli -- --help`):
 * a script can tell a mistake in the command line from a bad input file from a failure while
 * working, and retry only the last.
 */
export const EXIT = {
  ok: 0,
  /** Network, server, model or internal failure while working: retrying may help. */
  runtime: 1,
  /** The command line is wrong: unknown command or option, missing or malformed value, --out folder missing. */
  usage: 2,
  /** An input is missing, unreadable, damaged, of the wrong kind, or holds nothing to work on. */
  input: 3,
  /** Cancelled (Ctrl-C). */
  cancelled: 130,
} as const;

export type ExitKind = keyof typeof EXIT;

export const EXIT_CODES_HELP = `exit codes: 0 ok, 1 runtime failure (network, server, model, internal), 2 usage error
(unknown option, missing or malformed value, --out folder missing), 3 input error (missing,
damaged or wrong file, nothing valid to work on), 130 cancelled`;

/** A mistake in the command line: exits with EXIT.usage. */
export class UsageError extends AppError {
  override name = 'UsageError';
  constructor(message: string) {
    super('bad-input', message);
  }
}

const INPUT_CODES: readonly ErrorCode[] = ['bad-input', 'not-found', 'unsupported', 'too-large'];

/** Which kind of failure `error` is, for its exit code. */
export function exitKindOf(error: unknown): Exclude<ExitKind, 'ok'> {
  const e = serializeError(error);
  if (e.name === 'UsageError') return 'usage';
  if (e.code === 'aborted') return 'cancelled';
  if (INPUT_CODES.includes(e.code)) return 'input';
  return 'runtime';
}
