/**
 * Checked fetches, body limits, retries, per-origin connection limits and the content
 * security policy check.
 *
 * The public surface of src/lib/net/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { fetchChecked, fetchJson } from './fetch-checked.ts';
export { OriginLimiter } from './limiter.ts';
export { probeUrl } from './probe-url.ts';
export { readBody, readBodyStart } from './read-body.ts';
export { DEFAULT_RETRY, RETRYABLE_STATUS, type RetryPolicy, retryDelayMs, sleep } from './retry.ts';
