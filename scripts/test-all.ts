/**
 * `npm test`: the static checks, the unit tests and the browser tests, side by side.
 *
 * Vitest puts files that may not run in parallel (the browser tests share one served app and
 * one machine's GPU emulation) in a group of their own that starts only after every other
 * file has finished, so one `vitest run` leaves the CPU half idle while Chromium waits on
 * timers, sockets and frames. Three processes overlap that wait: the checks (biome, tsc,
 * svelte-check) and the unit project run while the e2e project runs its files one by one.
 * Browser tests that serve themselves (vitest.config.ts: the 'browser' project) and four of the
 * served-app ones (the 'e2e-b' project, with its own app server) run in the unit tests'
 * process, which would otherwise end minutes before the 'e2e' one.
 * The e2e output streams as it comes; the others print, whole, when they end. Any failure
 * fails the run; a failed check stops the others at once (as `check && vitest` did).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServedApp, PREBUILT_APP_ENV } from './served-app-build.ts';

interface Part {
  name: string;
  args: string[];
  /** Stream the output as it comes (one part only, so lines do not interleave). */
  live: boolean;
  /** Where the part's summary reporter writes its counts (vitest parts only). */
  counts?: string;
}

/** Extra arguments (a file filter while working) go to both projects; either may match none. */
const extra = process.argv.length > 2 ? ['--passWithNoTests', ...process.argv.slice(2)] : [];
const work = mkdtempSync(join(tmpdir(), 'eee-test-'));
const vitest = join('node_modules', 'vitest', 'vitest.mjs');
const parts: Part[] = [
  { name: 'checks', args: ['npm', 'run', '--silent', 'check'], live: false },
  {
    name: 'unit tests',
    args: [
      process.execPath,
      vitest,
      'run',
      '--project',
      'unit',
      '--project',
      'browser',
      '--project',
      'e2e-b',
      ...extra,
    ],
    live: false,
    counts: join(work, 'unit.json'),
  },
  {
    name: 'browser tests',
    args: [process.execPath, vitest, 'run', '--project', 'e2e', ...extra],
    live: true,
    counts: join(work, 'e2e.json'),
  },
];

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', () => {
  stopAll();
  process.exitCode = 130;
});

function run(part: Part): Promise<number> {
  const [command, ...args] = part.args;
  const child = spawn(command!, args, {
    stdio: ['ignore', part.live ? 'inherit' : 'pipe', part.live ? 'inherit' : 'pipe'],
    env: { ...process.env, ...(part.counts ? { TEST_COUNTS_FILE: part.counts } : {}), FORCE_COLOR: '1' },
  });
  children.push(child);
  const held: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => held.push(b));
  child.stderr?.on('data', (b: Buffer) => held.push(b));
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      if (!part.live) {
        process.stdout.write(`\n──── ${part.name} (${status === 0 ? 'passed' : 'FAILED'}) ────\n`);
        process.stdout.write(Buffer.concat(held));
      }
      if (status !== 0 && part.name === 'checks' && !stopping) {
        process.stdout.write('\nThe checks failed: the tests were stopped.\n');
        stopAll();
      }
      done(status);
    });
  });
}

function counts(part: Part): { passed: number; failed: number; skipped: number } {
  try {
    return JSON.parse(readFileSync(part.counts!, 'utf8'));
  } catch {
    // A part that never reported (killed, crashed before its end) counts as one failure.
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

// The checks start at once; the vitest parts after the served app is built.
const checking = run(parts[0]!);
// Both served-app projects' global setups would convert missing models and build the app and
// the packs: do it once here, before they start (two processes never write public/models/ at
// the same time, and the build's ~20 s of CPU is not spent twice).
if (existsSync('../shared/data/s2')) {
  try {
    const built = join(work, 'served-app');
    await buildServedApp(process.cwd(), built);
    process.env[PREBUILT_APP_ENV] = built;
  } catch (error) {
    process.stdout.write(
      `\nBuilding the served app failed (${error instanceof Error ? error.message : String(error)}): the tests were not run.\n`,
    );
    stopAll();
    await checking;
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  }
}
if (stopping) {
  // The checks failed while the app was being built (run() said so): the tests never start.
  await checking;
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
const statuses = await Promise.all([checking, ...parts.slice(1).map(run)]);
const total = { passed: 0, failed: 0, skipped: 0 };
for (const part of parts.filter((p) => p.counts)) {
  const c = counts(part);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
rmSync(work, { recursive: true, force: true });
const failedParts = parts.filter((_, i) => statuses[i] !== 0).map((p) => p.name);
if (failedParts.length > 0) process.stdout.write(`\nFailed: ${failedParts.join(', ')}\n`);
process.stdout.write(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exitCode = failedParts.length > 0 || total.failed > 0 ? 1 : (process.exitCode ?? 0);
