import { realpath } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';

/** A URL path decoded, or undefined for malformed %-encoding (a 400, not a thrown URIError). */
export function decodePath(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function inside(root: string, full: string): boolean {
  return full === root || full.startsWith(root + sep);
}

export type Resolved = { kind: 'found'; path: string } | { kind: 'missing' } | { kind: 'outside' };

/**
 * The real path of `relative` (already decoded) inside `dir`, refusing what leaves the folder:
 * `..`, a symbolic link anywhere on the way (`packs/p1/etc -> /etc`, a linked folder holding
 * `.git/`), or a hidden name (`.git`, `.env`), which is never data.
 */
export async function resolveInside(dir: string, relative: string): Promise<Resolved> {
  if (relative.includes('\0')) return { kind: 'outside' };
  const root = await realpath(resolve(dir)).catch(() => undefined);
  if (!root) return { kind: 'missing' };
  const lexical = normalize(join(root, relative));
  if (!inside(root, lexical)) return { kind: 'outside' };
  if (
    lexical
      .slice(root.length)
      .split(sep)
      .some((segment) => segment.startsWith('.'))
  )
    return { kind: 'outside' };
  const real = await realpath(lexical).catch(() => undefined);
  if (real === undefined) return { kind: 'missing' };
  return inside(root, real) ? { kind: 'found', path: real } : { kind: 'outside' };
}
