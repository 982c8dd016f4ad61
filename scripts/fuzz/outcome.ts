import { AppError, MAX_MESSAGE_CHARS } from '../../src/lib/errors.ts';
import { mulberry32 } from '../../src/lib/math/index.ts';

/**
 * How one fuzz case ended. 'refused' (a clear AppError) and 'ok' are fine; the rest are
 * defects: 'crash' (an error that is not an AppError, or code 'internal'), 'hang' (no end
 * within the case's limit), 'raw' (an AppError that quotes a library's or the engine's own
 * words, or a message over the length cap).
 */
export type Outcome =
  | { kind: 'ok' }
  | { kind: 'refused'; code: string }
  | { kind: 'crash' | 'hang' | 'raw'; message: string };

/** Phrases of geotiff.js, pako, zod internals and the JS engine that must never reach a user. */
const RAW_PHRASES =
  /Invalid field type|outside the bounds|out of bounds|is not a function|Cannot read propert|of undefined|of null|Invalid typed array|Invalid array length|Array buffer allocation|Maximum call stack|is not defined|Unexpected token|Unexpected end of|Invalid string length|No decoder|Unknown (?:field|tag|compression)|Unsupported (?:data|sample|photometric)|RangeError|TypeError|Error fetching data|incorrect header check|invalid (?:distance|code|block|stored)|unknown compression/i;

/** The messages of `error`'s causes that are not AppErrors (a library's own words). */
function causeTexts(error: unknown): string[] {
  const texts: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    if (cause instanceof Error && !(cause instanceof AppError) && cause.message.length >= 8)
      texts.push(cause.message);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return texts;
}

export function classify(error: unknown): Outcome {
  if (!(error instanceof AppError) || error.code === 'internal') {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { kind: 'crash', message: message.slice(0, 300) };
  }
  const { message } = error;
  if (message.length > MAX_MESSAGE_CHARS || RAW_PHRASES.test(message))
    return { kind: 'raw', message: message.slice(0, 300) };
  if (causeTexts(error).some((text) => message.includes(text)))
    return { kind: 'raw', message: message.slice(0, 300) };
  return { kind: 'refused', code: error.code };
}

/** Runs one case under a time limit; a case past it is a hang (its work is left to finish). */
export async function runCase(task: () => Promise<unknown>, limitMs: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang', message: `no end within ${limitMs} ms` }), limitMs);
  });
  const run = task().then(
    (): Outcome => ({ kind: 'ok' }),
    (error: unknown) => classify(error),
  );
  try {
    return await Promise.race([run, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Tally of one fuzz target: counts per outcome and the first few defects, replayable by case. */
export interface TargetReport {
  target: string;
  cases: number;
  ok: number;
  refused: number;
  crashes: number;
  hangs: number;
  raw: number;
  /** The first defects: case number and message. */
  examples: { case: number; kind: string; message: string }[];
}

export function emptyReport(target: string): TargetReport {
  return { target, cases: 0, ok: 0, refused: 0, crashes: 0, hangs: 0, raw: 0, examples: [] };
}

export function tally(report: TargetReport, n: number, outcome: Outcome): void {
  report.cases++;
  if (outcome.kind === 'ok') report.ok++;
  else if (outcome.kind === 'refused') report.refused++;
  else {
    if (outcome.kind === 'crash') report.crashes++;
    else if (outcome.kind === 'hang') report.hangs++;
    else report.raw++;
    if (report.examples.length < 8)
      report.examples.push({ case: n, kind: outcome.kind, message: outcome.message });
  }
}

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed and index. */
export const rng = mulberry32;
