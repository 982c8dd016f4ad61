import type { ServerResponse } from 'node:http';

/**
 * The app's Content-Security-Policy, sent as a header on the page and on every script (worker
 * scripts take their policy from their own response, not from the page's `<meta>`): its own
 * origin plus Earth Search and the AWS buckets its assets live in, the basemap tiles, the
 * Source Cooperative mirror of the precomputed embeddings, and the
 * origins the person serving the app allowed (`ALLOW_ORIGINS`: a classroom STAC server, a
 * model server). WASM needs 'wasm-unsafe-eval'; Svelte's style directives need inline styles.
 */
export function contentSecurityPolicy(
  extraConnectOrigins: readonly string[] = [],
  options: { allowEval?: boolean } = {},
): string {
  const connect = [
    "'self'",
    'https://earth-search.aws.element84.com',
    'https://*.amazonaws.com',
    'https://tile.openstreetmap.org',
    // The public mirrors of AlphaEarth and TESSERA (the precomputed products' default base URLs).
    'https://data.source.coop',
    // geotiff's Zstandard decoder (zstddec: AlphaEarth's tiles, any zstd COG) loads its WASM by
    // fetching a data: URL; without this every zstd block fails with "Failed to fetch". A data:
    // URL carries nothing off the device.
    'data:',
    ...extraConnectOrigins,
  ];
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${options.allowEval ? " 'unsafe-eval'" : ''}`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https://tile.openstreetmap.org",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The one script allowed to build functions from strings: the built precomputed worker. TESSERA's
 * chunks are Blosc frames, and numcodecs' Blosc (an Emscripten build with embind) creates its
 * bindings with `new Function` when it loads; under the page's policy that throws and no TESSERA
 * chunk decodes. A worker takes its policy from its own script's response, so only that worker
 * (no DOM; it reads embeddings and posts arrays back) gets 'unsafe-eval'; the page and every
 * other worker keep the strict policy.
 */
export function scriptNeedsEval(pathname: string): boolean {
  return /\/assets\/precomputed\.worker-[\w-]+\.js$/.test(pathname);
}

/**
 * An origin a person allowed the app to read from (`http://192.168.1.10:8090`); anything
 * else (a path, a wildcard, a policy keyword) would widen the policy beyond what was meant.
 */
export function parseAllowedOrigin(text: string): string | undefined {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin === text.trim().replace(/\/$/, '') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** On every response of both servers: no MIME sniffing, no framing, no referrer leaks. */
export function baselineHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * The app itself (page, scripts, WASM, models): same-origin only, cross-origin isolated
 * (COOP/COEP: threaded WASM for onnxruntime-web), under the policy above. No CORS: no other
 * origin has a reason to read the app's files.
 */
export function appHeaders(res: ServerResponse, policy: string): void {
  baselineHeaders(res);
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Content-Security-Policy', policy);
}

/**
 * Data (packs, STAC answers): readable from any origin, as Earth Search's are, so an app served
 * elsewhere (a student's copy, a COEP page) can range-read the COGs and search the catalogue.
 */
export function dataHeaders(res: ServerResponse): void {
  baselineHeaders(res);
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Range, If-Range, Content-Type, Accept');
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Content-Range, Content-Length, Accept-Ranges, ETag, Last-Modified',
  );
}
