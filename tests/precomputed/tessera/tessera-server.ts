import type { Server } from 'node:http';
import { startStaticServer } from '../../../server/static-server.ts';

/** The store's path on its real host (https://data.source.coop/tessera/tessera/zarr/v1). */
export const STORE_PATH = '/tessera/tessera/zarr/v1';

/**
 * Serves a fixture store folder at the real URL layout with the project's own range-capable
 * server (single and suffix ranges, 404 for what is not there, CORS as for packs).
 */
export async function serveStore(
  dir: string,
): Promise<{ server: Server; baseUrl: string; close: () => Promise<void> }> {
  const { server, url } = await startStaticServer({ mounts: [{ prefix: `${STORE_PATH}/`, dir }] });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, baseUrl: `${url}${STORE_PATH}`, close };
}

export interface LoggedFetch {
  url: string;
  range: string | undefined;
  status: number;
  bytes: number;
}

/** A fetch that logs every request (URL, Range, status) and the body bytes it delivered. */
export function countingFetch(): { fetch: typeof globalThis.fetch; log: LoggedFetch[] } {
  const log: LoggedFetch[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const body = new Uint8Array(await response.arrayBuffer());
    const headers = new Headers(init?.headers);
    log.push({
      url: String(input),
      range: headers.get('Range') ?? undefined,
      status: response.status,
      bytes: body.length,
    });
    return new Response(response.status === 204 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { fetch, log };
}
