import { networkInterfaces } from 'node:os';

/**
 * The addresses a server's links may name. Hrefs in STAC answers must work for the student
 * who asked, who reached the server through one of this machine's addresses; a `Host` header
 * naming anything else (`evil.example:666`) is not copied into links (that would let one
 * request send every later click elsewhere): the configured address is used instead.
 */
export interface PublicAddress {
  /** The base of links when the request's Host is not one of this server's names. */
  fallback: string;
  /** `host:port` names that reach this server, lower case. */
  names: ReadonlySet<string>;
}

/** `host` or `host:port` as HTTP allows it (a name, IPv4, or a bracketed IPv6 address). */
export function isValidHostHeader(host: string): boolean {
  return /^(?:[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9-]{1,63})*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(
    host,
  );
}

function interfaceAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const entry of list ?? []) out.push(entry.family === 'IPv6' ? `[${entry.address}]` : entry.address);
  return out;
}

/**
 * Names for a server listening on `host:port`. Bound to every interface (`0.0.0.0`, `::`),
 * each of the machine's addresses reaches it; the fallback is `publicUrl` when given, else the
 * first non-loopback IPv4 address (what students type), else localhost.
 */
export function publicAddress(host: string, port: number, publicUrl?: string): PublicAddress {
  const everywhere = host === '0.0.0.0' || host === '::';
  const hosts = everywhere
    ? [...interfaceAddresses(), 'localhost']
    : [host.includes(':') ? `[${host}]` : host];
  if (host === '127.0.0.1' || host === '::1') hosts.push('localhost');
  const names = new Set(hosts.map((h) => `${h}:${port}`.toLowerCase()));
  if (port === 80) for (const h of hosts) names.add(h.toLowerCase());
  const lan = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;
  const fallbackHost = everywhere ? (lan ?? 'localhost') : (hosts[0] ?? 'localhost');
  return { fallback: (publicUrl ?? `http://${fallbackHost}:${port}`).replace(/\/$/, ''), names };
}

/** The base URL of links in the answer to a request with this Host header. */
export function linkBase(address: PublicAddress, host: string | undefined): string {
  if (host !== undefined && address.names.has(host.toLowerCase())) return `http://${host}`;
  return address.fallback;
}
