/**
 * Whether the app's own Content-Security-Policy refused a request. A refused fetch fails
 * exactly like an unreachable host (a bare TypeError), so without this the user is told to
 * check a network that works. The policy is the header the app's server sends (the page and
 * every worker carry it); it is read back with one HEAD request of the app's own origin, only
 * after a fetch has failed.
 */

/** Source expressions of one directive (`connect-src`, else `default-src`). */
function directive(policy: string, name: string): string[] | undefined {
  for (const part of policy.split(';')) {
    const [key, ...values] = part.trim().split(/\s+/);
    if (key?.toLowerCase() === name) return values;
  }
  return undefined;
}

/** Whether a CSP source expression (host-source, scheme-source, 'self', '*') allows `target`. */
function sourceAllows(source: string, target: URL, self: URL): boolean {
  if (source === "'self'") return target.origin === self.origin;
  if (source === '*') return target.protocol === 'http:' || target.protocol === 'https:';
  if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return target.protocol === source.toLowerCase();
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^/:]+)(?::(\d+|\*))?/i.exec(source);
  if (!match) return false;
  const [, scheme, wildcard, host = '', port] = match;
  if (scheme && `${scheme.toLowerCase()}:` !== target.protocol) return false;
  const hostname = target.hostname.toLowerCase();
  const hostOk = wildcard ? hostname.endsWith(`.${host.toLowerCase()}`) : hostname === host.toLowerCase();
  if (!hostOk) return false;
  if (port === '*') return true;
  const targetPort = target.port || (target.protocol === 'https:' ? '443' : '80');
  const sourcePort = port ?? (scheme?.toLowerCase() === 'https' ? '443' : '80');
  return targetPort === sourcePort;
}

/** Whether `policy` lets the app at `self` fetch `url` (connect-src, falling back to default-src). */
export function policyAllowsConnect(policy: string, url: string, self: string): boolean {
  const sources = directive(policy, 'connect-src') ?? directive(policy, 'default-src');
  if (!sources) return true;
  const target = new URL(url, self);
  return sources.some((source) => sourceAllows(source, target, new URL(self)));
}

/**
 * The origin of `url` when the app's policy forbids fetching it, else undefined (no policy,
 * not a browser, the origin allowed, or the policy unreadable: then the failure is the
 * network's). Works in the page and in workers (both have `location`).
 */
export async function refusedByContentPolicy(url: string): Promise<string | undefined> {
  const here = (globalThis as { location?: { href: string; origin: string } }).location;
  if (!here || !/^https?:/.test(here.href)) return undefined;
  try {
    const target = new URL(url, here.href);
    if (target.origin === here.origin) return undefined;
    const response = await fetch(new URL('/', here.origin).href, { method: 'HEAD', cache: 'no-store' });
    const policy = response.headers.get('Content-Security-Policy');
    if (!policy || policyAllowsConnect(policy, target.href, here.href)) return undefined;
    return target.origin;
  } catch {
    return undefined;
  }
}

/** What to tell the user when the policy refused `origin`. */
export function refusedByPolicyMessage(service: string, origin: string): string {
  return `The app's security policy does not allow it to read from ${origin} (${service}), so nothing was requested. Whoever serves the app can allow that server: start it with ALLOW_ORIGINS=${origin} npm start.`;
}
