import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AppError } from '../../src/lib/errors.ts';
import type { BBox } from '../../src/lib/geo/index.ts';
import { parseBBox } from '../../src/lib/state/index.ts';
import { UsageError } from './exit-codes.ts';

/**
 * Checks shared by the CLI commands, run before any work: a typo, a missing file or an
 * unwritable --out fails in a second with its own exit code, not after the computation.
 */

/** node:util parseArgs (strict), its errors turned into short usage errors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, Object.keys(options)));
  }
}

function parseArgsMessage(error: unknown, known: string[]): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  const options = known.map((k) => `--${k}`).join(', ');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1] ?? 'given';
    return `Unknown option ${option}; the options are ${options} (--help explains them).`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /--([\w-]+)/.exec(message)?.[0] ?? 'an option';
    return `${option} needs a value.`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']+)'/.exec(message)?.[1] ?? '';
    return `Unexpected argument ${arg ? `"${arg}"` : ''}: every value follows its option (--help lists them).`;
  }
  return `The command line could not be read; see --help.`;
}

/** Throws a usage error naming the required options that are missing. */
export function requireOptions(values: Record<string, unknown>, names: string[], usage: string): void {
  const missing = names.filter(
    (n) => values[n] === undefined || (Array.isArray(values[n]) && !values[n].length),
  );
  if (!missing.length) return;
  const flags = missing.map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
  const list =
    flags.length === 1 ? flags[0] : `${flags.slice(0, -1).join(', ')} and ${flags[flags.length - 1]}`;
  throw new UsageError(`${list} ${flags.length === 1 ? 'is' : 'are'} required.\n${usage}`);
}

/** Runs a check of option values; its bad-input error becomes a usage error (prefixed when asked). */
export function asUsage<T>(check: () => T, prefix = ''): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AppError && error.code === 'bad-input' && !(error instanceof UsageError))
      throw new UsageError(`${prefix}${error.message}`);
    throw error;
  }
}

/** Runs `parse` on an option's text; its bad-input error becomes a usage error naming the option. */
export function optionValue<T>(name: string, text: string, parse: (text: string) => T): T {
  return asUsage(() => parse(text), `--${name} "${text}": `);
}

/** --bbox W,S,E,N in degrees, checked as the app checks a typed area. */
export function bboxOption(text: string, name = 'bbox'): BBox {
  return optionValue(name, text, parseBBox);
}

/** A number option within [min, max] (whole when `integer`); `fallback` when absent. */
export function numberOption(
  name: string,
  text: string | undefined,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, integer = false } = range;
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    const bounds = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(
      `--${name} must be a ${integer ? 'whole number' : 'number'}${bounds ? ` ${bounds}` : ''}; got "${text}".`,
    );
  }
  return value;
}

/** One of `choices`; `fallback` when absent. */
export function choiceOption<C extends string>(
  name: string,
  text: string | undefined,
  choices: readonly C[],
  fallback: C,
): C {
  if (text === undefined) return fallback;
  const choice = choices.find((c) => c === text);
  if (!choice) throw new UsageError(`Unknown --${name} ${text}; choose ${choices.join(', ')}.`);
  return choice;
}

/** An input file that exists and is readable (input error otherwise). */
export function inputFile(path: string, name: string): string {
  const full = resolve(path);
  const info = statSync(full, { throwIfNoEntry: false });
  if (!info) throw new AppError('not-found', `--${name} ${path} does not exist.`);
  if (info.isDirectory()) throw new AppError('bad-input', `--${name} ${path} is a folder; a file is needed.`);
  try {
    accessSync(full, constants.R_OK);
  } catch {
    throw new AppError('bad-input', `--${name} ${path} cannot be read (permissions).`);
  }
  return full;
}

/** An output file whose folder exists and is writable, checked before any work (usage error otherwise). */
export function outputFile(path: string, name = 'out'): string {
  const full = resolve(path);
  const folder = dirname(full);
  const info = statSync(folder, { throwIfNoEntry: false });
  if (!info?.isDirectory()) throw new UsageError(`--${name} ${path}: the folder ${folder} does not exist.`);
  if (statSync(full, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--${name} ${path} is a folder; give a file name.`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--${name} ${path}: the folder ${folder} is not writable.`);
  }
  return full;
}

/** --datetime A/B (dates, RFC 3339 times or ".." for open ends); plain dates become whole UTC days. */
export function datetimeOption(text: string, name = 'datetime'): string {
  const [a, b, extra] = text.split('/');
  const ok = (s: string | undefined) =>
    s === '..' || (s !== undefined && s !== '' && !Number.isNaN(Date.parse(s)));
  if (extra !== undefined || !ok(a) || !ok(b) || (a === '..' && b === '..'))
    throw new UsageError(`--${name} "${text}" must be an interval START/END, e.g. 2022-06-01/2022-08-31.`);
  const full = (s: string, end: boolean) =>
    /^\d{4}-\d\d-\d\d$/.test(s) ? `${s}T${end ? '23:59:59' : '00:00:00'}Z` : s;
  const start = full(a!, false);
  const stop = full(b!, true);
  if (a !== '..' && b !== '..' && Date.parse(start) > Date.parse(stop))
    throw new UsageError(`--${name} "${text}": the start is after the end.`);
  return `${start}/${stop}`;
}
