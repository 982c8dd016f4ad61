import { AppError } from '../errors.ts';

export interface BodyLimits {
  /** Names the service in messages: "the STAC API", "the pack server". */
  service: string;
  url: string;
  /** Largest body accepted; more is refused as 'too-large' (an endless or runaway answer). */
  maxBytes: number;
  /** Milliseconds without a single byte before the read counts as stalled ('timeout'). */
  idleMs: number;
  signal?: AbortSignal | undefined;
}

function megabytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 0)} MiB`;
}

/** One chunk of the body, or 'timeout' when nothing arrives for `idleMs`. */
async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limits: BodyLimits,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject before cancelling: cancel() ends the pending read as "done", which must not win.
      reject(
        new AppError(
          'timeout',
          `${limits.service} stopped sending its answer for ${Math.round(limits.idleMs / 1000)} s (${limits.url}).`,
        ),
      );
      void reader.cancel().catch(() => undefined);
    }, limits.idleMs);
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a response body under an idle timeout and a size cap. Headers alone prove nothing: a
 * server can stall after them or send without end, and response.text() would wait forever or
 * grow until the tab or the CLI runs out of memory. A Content-Length over the cap is refused
 * before a byte is read. A connection that breaks off mid-body is a 'network' error (callers
 * retry it like a 503); the user's abort stays 'aborted'.
 */
export async function readBody(response: Response, limits: BodyLimits): Promise<Uint8Array> {
  const declared = Number(response.headers.get('Content-Length') ?? Number.NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(limits, declared);
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await readChunk(reader, limits);
      if (done) break;
      total += value.length;
      if (total > limits.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limits, total);
      }
      parts.push(value);
    }
  } catch (error) {
    if (limits.signal?.aborted)
      throw new AppError('aborted', `The request to ${limits.service} was cancelled.`);
    if (error instanceof AppError) throw error;
    throw new AppError(
      'network',
      `The answer of ${limits.service} broke off after ${total.toLocaleString('en')} bytes (${limits.url}); the connection was lost.`,
      { cause: error },
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function tooLarge(limits: BodyLimits, bytes: number): AppError {
  return new AppError(
    'too-large',
    `${limits.service} sent more than ${megabytes(limits.maxBytes)} for ${limits.url} (${megabytes(bytes)} so far); the app stops reading answers this large.`,
  );
}

/**
 * The start of an error response's body, for the message: at most `maxChars` characters,
 * never waiting past `idleMs` for more. An endless error page must not stall the error.
 */
export async function readBodyStart(response: Response, maxChars: number, idleMs: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  const limits: BodyLimits = { service: '', url: '', maxBytes: Number.POSITIVE_INFINITY, idleMs };
  try {
    while (text.length < maxChars) {
      const { done, value } = await readChunk(reader, limits);
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // Whatever arrived is enough for a message.
  }
  await reader.cancel().catch(() => undefined);
  return text.slice(0, maxChars);
}
