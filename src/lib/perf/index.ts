/**
 * Stage timings (`performance.mark`) that `npm run bench` reads.
 *
 * The public surface of src/lib/perf/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { stageEnd, stageStart, timedStage } from './stages.ts';
