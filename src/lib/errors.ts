/**
 * Errors that cross module and worker boundaries. A worker boundary loses prototypes, so
 * code never relies on `instanceof` for errors that came from a worker: it reads `code`.
 */
export type ErrorCode =
  | 'aborted'
  | 'network'
  | 'http'
  | 'timeout'
  | 'bad-input'
  | 'unsupported'
  | 'not-found'
  | 'too-large'
  | 'model'
  | 'internal';

export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
}

/**
 * Longest message shown to a user. Messages quote file names, URLs and server answers; a
 * hostile or broken one (a 370 KB header dump, a huge URL) must not fill the screen or a log.
 */
export const MAX_MESSAGE_CHARS = 600;

/** `message`, cut at MAX_MESSAGE_CHARS with an ellipsis that says how much was left out. */
export function capMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const omitted = message.length - (MAX_MESSAGE_CHARS - 40);
  return `${message.slice(0, MAX_MESSAGE_CHARS - 40)}… (${omitted.toLocaleString('en')} more characters)`;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(capMessage(message), options);
    this.code = code;
  }
}

export function abortError(what = 'The operation'): AppError {
  return new AppError('aborted', `${what} was cancelled.`);
}

/** Throws the standard 'aborted' error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw abortError(what);
}

function hasStringProp<K extends string>(value: unknown, key: K): value is Record<K, string> {
  return (
    typeof value === 'object' && value !== null && typeof (value as Record<K, unknown>)[key] === 'string'
  );
}

const CODES: readonly ErrorCode[] = [
  'aborted',
  'network',
  'http',
  'timeout',
  'bad-input',
  'unsupported',
  'not-found',
  'too-large',
  'model',
  'internal',
];

/** Plain-object form of any thrown value, safe to post across a worker boundary. */
export function serializeError(error: unknown): SerializedError {
  if (hasStringProp(error, 'code') && hasStringProp(error, 'message')) {
    const code = CODES.find((c) => c === error.code);
    if (code)
      return {
        name: hasStringProp(error, 'name') ? error.name : 'AppError',
        code,
        message: capMessage(error.message),
      };
  }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return { name: 'AppError', code: 'aborted', message: 'The operation was cancelled.' };
  }
  if (error instanceof Error)
    return { name: error.name, code: 'internal', message: capMessage(error.message) };
  return { name: 'Error', code: 'internal', message: capMessage(String(error)) };
}

/** Rebuilds an AppError from its serialized form (after a worker boundary). */
export function deserializeError(error: SerializedError): AppError {
  // AppError caps the message: a worker that sent a long one is cut here too.
  const rebuilt = new AppError(error.code, error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

export function isAborted(error: unknown): boolean {
  return serializeError(error).code === 'aborted';
}
