/**
 * Number and date formatting for people, canonical JSON for keys.
 *
 * The public surface of src/lib/text/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { canonicalJson } from './canonical-json.ts';
export { formatBytes, formatWhen } from './format.ts';
