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
  'tests/e2e/export-snapshot.e2e.ts',
  'tests/e2e/galileo-web.e2e.ts',
  'tests/e2e/presto-web.e2e.ts',
  'tests/e2e/score-layer.e2e.ts',
  'tests/e2e/tessera-read.e2e.ts',
];

/** Browser tests: one file at a time, with the room a busy 2-core machine's Chromium needs. */
const BROWSER = {
  environment: 'node',
  testTimeout: 180_000,
  hookTimeout: 180_000,
  fileParallelism: false,
} as const;

// Three projects: fast Node unit tests; browser end-to-end tests that drive Debian's Chromium
// (playwright-core) against the app served by the project's own static server; and the
// self-served browser tests above.
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
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.ts'],
          exclude: SELF_SERVED_BROWSER_TESTS,
          globalSetup: ['tests/e2e/global-setup.ts'],
          ...BROWSER,
        },
      },
      { test: { name: 'browser', include: SELF_SERVED_BROWSER_TESTS, ...BROWSER } },
    ],
  },
});
