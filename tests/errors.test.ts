import { describe, expect, it } from 'vitest';
import {
  AppError,
  abortError,
  capMessage,
  deserializeError,
  type ErrorCode,
  isAborted,
  MAX_MESSAGE_CHARS,
  serializeError,
  throwIfAborted,
} from '../src/lib/errors.ts';

const CODES: ErrorCode[] = [
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

describe('AppError', () => {
  it('carries a code, a message, a name and an optional cause', () => {
    const cause = new Error('low level');
    const error = new AppError('http', 'The server said no', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('http');
    expect(error.message).toBe('The server said no');
    expect(error.name).toBe('AppError');
    expect(error.cause).toBe(cause);
  });
});

describe('serializeError / deserializeError', () => {
  it('keep code and message of every AppError, through structured cloning too', () => {
    for (const code of CODES) {
      const original = new AppError(code, `something ${code} happened`);
      const plain = serializeError(original);
      expect(plain).toEqual({ name: 'AppError', code, message: `something ${code} happened` });
      // What postMessage does to it on the way across a worker boundary.
      const rebuilt = deserializeError(structuredClone(plain));
      expect(rebuilt).toBeInstanceOf(AppError);
      expect(rebuilt.code).toBe(code);
      expect(rebuilt.message).toBe(original.message);
      expect(rebuilt.name).toBe('AppError');
    }
  });

  it('accepts error-like objects with a known code (prototype already lost)', () => {
    expect(serializeError({ code: 'timeout', message: 'slow', name: 'AppError' })).toEqual({
      name: 'AppError',
      code: 'timeout',
      message: 'slow',
    });
    expect(serializeError({ code: 'network', message: 'down' })).toEqual({
      name: 'AppError',
      code: 'network',
      message: 'down',
    });
  });

  it('maps other errors to internal, keeping their name and message', () => {
    expect(serializeError(new TypeError('x is undefined'))).toEqual({
      name: 'TypeError',
      code: 'internal',
      message: 'x is undefined',
    });
    // A Node system error's code is not one of ours.
    const system = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(serializeError(system)).toEqual({
      name: 'Error',
      code: 'internal',
      message: 'connect ECONNREFUSED',
    });
    expect(serializeError('plain string')).toEqual({
      name: 'Error',
      code: 'internal',
      message: 'plain string',
    });
    expect(serializeError(undefined)).toEqual({ name: 'Error', code: 'internal', message: 'undefined' });
  });

  it("turns a DOM AbortError into 'aborted'", () => {
    const controller = new AbortController();
    controller.abort();
    const reason: unknown = controller.signal.reason;
    expect(serializeError(reason)).toEqual({
      name: 'AppError',
      code: 'aborted',
      message: 'The operation was cancelled.',
    });
    expect(isAborted(reason)).toBe(true);
    expect(isAborted(new DOMException('gone', 'AbortError'))).toBe(true);
    expect(isAborted(new DOMException('slow', 'TimeoutError'))).toBe(false);
    expect(isAborted(new Error('other'))).toBe(false);
    expect(isAborted(abortError('Loading'))).toBe(true);
  });

  it('keeps a custom name through the round trip', () => {
    const rebuilt = deserializeError(serializeError(new RangeError('out of range')));
    expect(rebuilt.name).toBe('RangeError');
    expect(rebuilt.code).toBe('internal');
    expect(rebuilt).toBeInstanceOf(AppError);
  });
});

describe('abort helpers', () => {
  it('abortError and throwIfAborted', () => {
    const error = abortError('Loading the scene');
    expect(error.code).toBe('aborted');
    expect(error.message).toBe('Loading the scene was cancelled.');
    expect(abortError().message).toBe('The operation was cancelled.');
    expect(() => throwIfAborted(undefined)).not.toThrow();
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal, 'Encoding')).not.toThrow();
    controller.abort();
    expect(() => throwIfAborted(controller.signal, 'Encoding')).toThrow('Encoding was cancelled.');
  });
});

describe('message length cap', () => {
  it('AppError and serializeError cut a 370 KB message to MAX_MESSAGE_CHARS, saying how much was left out', () => {
    const huge = `Invalid field type: ${'4'.repeat(370_000)}`;
    const app = new AppError('bad-input', huge);
    expect(app.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(app.message).toMatch(/… \([\d,]+ more characters\)$/);
    const plain = serializeError(new Error(huge));
    expect(plain.code).toBe('internal');
    expect(plain.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    // A worker's message that arrives long is cut when rebuilt too.
    expect(
      deserializeError({ name: 'AppError', code: 'http', message: huge }).message.length,
    ).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(capMessage('short')).toBe('short');
  });
});
