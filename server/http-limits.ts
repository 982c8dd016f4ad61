import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * How long a connection may take (milliseconds). A classroom server faces many clients on one
 * laptop: a connection that never finishes its headers, never sends its body or sits idle
 * holds a socket and memory, so each stage is bounded and the socket closed past it.
 */
export interface ConnectionLimits {
  /** From the connection's first byte to the end of the request headers. */
  headersMs: number;
  /** For the whole request, body included. */
  requestMs: number;
  /** Without a byte moving either way (a stalled client, a half-open socket). */
  idleMs: number;
  /** Between requests on a kept-alive connection. */
  keepAliveMs: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  headersMs: 15_000,
  requestMs: 60_000,
  idleMs: 60_000,
  keepAliveMs: 5_000,
};

/**
 * An HTTP server under `limits`: past a deadline Node answers 408 and closes the socket (its
 * deadline check runs every `connectionsCheckingInterval`, here a fraction of the deadline).
 */
export function createLimitedServer(
  listener: RequestListener,
  limits: Partial<ConnectionLimits> = {},
): Server {
  const all = { ...DEFAULT_LIMITS, ...limits };
  const server = createServer(
    { connectionsCheckingInterval: Math.max(100, Math.min(5_000, all.headersMs / 4)) },
    listener,
  );
  server.headersTimeout = all.headersMs;
  server.requestTimeout = all.requestMs;
  server.keepAliveTimeout = all.keepAliveMs;
  server.setTimeout(all.idleMs, (socket) => socket.destroy());
  return server;
}
