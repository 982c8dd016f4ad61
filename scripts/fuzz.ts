/**
 * `npm run fuzz [-- --seed 1 --cases 2000]`: the bounded fuzz of the app's readers (mutated TIFF
 * headers, mutated STAC answers; see scripts/fuzz/). Prints one JSON summary; exits 1 when any
 * case crashed, hung or showed a raw library message, 2 on bad options.
 */
import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz/run-fuzz.ts';

function count(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`fuzz: --${name} must be a whole number >= 0, got "${text}"\n`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: { seed: { type: 'string' }, cases: { type: 'string' }, 'case-limit-ms': { type: 'string' } },
  strict: true,
});
const started = performance.now();
const summary = await runFuzz({
  seed: count(values.seed, 1, 'seed'),
  cases: count(values.cases, 2000, 'cases'),
  caseLimitMs: count(values['case-limit-ms'], 20_000, 'case-limit-ms'),
  onReport: (r) =>
    process.stderr.write(
      `${r.target}: ${r.cases} cases, ${r.ok} read, ${r.refused} refused, ${r.crashes} crashes, ${r.hangs} hangs, ${r.raw} raw messages\n`,
    ),
});
process.stdout.write(
  `${JSON.stringify({ ...summary, seconds: (performance.now() - started) / 1000 }, null, 2)}\n`,
);
process.exitCode = summary.crashes + summary.hangs + summary.raw > 0 ? 1 : 0;
