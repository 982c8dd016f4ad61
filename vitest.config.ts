import { defineConfig } from 'vitest/config';

/**
 * Chromium tests that start their own Vite server and browser and need neither the built app
 * nor the demo packs (no global setup). `npm test` runs them in the unit tests' process
 * (scripts/test-all.ts): the served-app browser tests are the suite's longest part, and these
 * even the two processes out on two cores.
 */
const SELF_SERVED_BROWSER_TESTS = [
  'tests/e2e/analysis-gpu.e2e.ts',
  'tests/e2e/cache-store.e2e.ts',
  'tests/e2e/chromium-lease.e2e.ts',
  'tests/e2e/export-snapshot.e2e.ts',
  'tests/e2e/galileo-web.e2e.ts',
  'tests/e2e/presto-web.e2e.ts',
  'tests/e2e/score-layer.e2e.ts',
  'tests/e2e/tessera-read.e2e.ts',
];

/**
 * Served-app browser tests that `npm test` runs in the unit tests' process too (project `e2e-b`,
 * with its own built app and packs): the unit process ended ~6 minutes before the `e2e` one,
 * and these even the two out.
 */
const SERVED_APP_TESTS_BESIDE_UNIT = [
  'tests/e2e/analysis-ui.e2e.ts',
  'tests/e2e/cache.e2e.ts',
  'tests/e2e/change.e2e.ts',
  'tests/e2e/draw-area.e2e.ts',
];

/** Browser tests: one file at a time, with the room a busy 2-core machine's Chromium needs. */
const BROWSER = {
  environment: 'node',
  testTimeout: 180_000,
  hookTimeout: 180_000,
  fileParallelism: false,
  // As in the unit project: one module graph per worker (and one Chromium: tests/e2e/chromium.ts).
  isolate: false,
} as const;

// Four projects: fast Node unit tests; browser end-to-end tests that drive Debian's Chromium
// (playwright-core) against the app served by the project's own static server, in two parts
// (`e2e`, `e2e-b`: see above); and the self-served browser tests above.
export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**'],
          testTimeout: 60_000,
          // Hooks build real packs from ../shared; give them room on a busy 2-core machine.
          hookTimeout: 120_000,
          // Files share their worker's modules instead of importing src/ afresh each (measured:
          // 336 s of CPU -> 222 s for this project; the whole suite is CPU-bound on 2 cores).
          // Safe because no test mocks a module and the spies the tests set are restored.
          isolate: false,
          restoreMocks: true,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.ts'],
          exclude: [...SELF_SERVED_BROWSER_TESTS, ...SERVED_APP_TESTS_BESIDE_UNIT],
          globalSetup: ['tests/e2e/global-setup.ts'],
          ...BROWSER,
        },
      },
      {
        test: {
          name: 'e2e-b',
          include: SERVED_APP_TESTS_BESIDE_UNIT,
          globalSetup: ['tests/e2e/global-setup.ts'],
          ...BROWSER,
        },
      },
      { test: { name: 'browser', include: SELF_SERVED_BROWSER_TESTS, ...BROWSER } },
    ],
  },
});
