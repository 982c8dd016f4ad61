import type { Server } from 'node:http';
import {
  type AefFixture,
  aefFixture,
  BASE_PATH,
  CORRUPT_BASE_PATH,
  MISSING_BASE_PATH,
} from '../../../scripts/aef-fixture/build-aef-fixture.ts';
import { startStaticServer } from '../../../server/static-server.ts';
import { clearIndexCache } from '../../../src/lib/precomputed/aef/index.ts';

/** The AlphaEarth fixtures served by the project's own range-capable static server on 127.0.0.1. */
export interface ServedFixture {
  fx: AefFixture;
  server: Server;
  base: string;
  missingBase: string;
  corruptBase: string;
  close(): Promise<void>;
}

export async function serveAefFixture(): Promise<ServedFixture> {
  const fx = await aefFixture();
  clearIndexCache();
  const { server, url } = await startStaticServer({ mounts: [{ prefix: '/', dir: fx.root }] });
  return {
    fx,
    server,
    base: url + BASE_PATH,
    missingBase: url + MISSING_BASE_PATH,
    corruptBase: url + CORRUPT_BASE_PATH,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fetch that counts requests and body bytes per URL, as the product's `fetch` option allows. */
export function countingFetch(): {
  fetch: typeof globalThis.fetch;
  requests: number;
  bytes: number;
  byUrl: Map<string, number>;
} {
  const counter = {
    requests: 0,
    bytes: 0,
    byUrl: new Map<string, number>(),
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      const body = new Uint8Array(await response.arrayBuffer());
      const url = String(input instanceof Request ? input.url : input);
      counter.requests++;
      counter.bytes += body.length;
      counter.byUrl.set(url, (counter.byUrl.get(url) ?? 0) + body.length);
      return new Response(response.status === 204 || response.status === 304 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }) as typeof globalThis.fetch,
  };
  return counter;
}
