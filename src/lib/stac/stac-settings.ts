/**
 * How long a scene search waits for a STAC API that stopped sending (the body's idle timeout).
 * 30 s unless the browser's localStorage holds another whole number of seconds (1–600) under
 * STAC_IDLE_KEY: a person behind a slow STAC server may wait longer, and the stalled-server
 * browser test waits 2 s instead of half a minute, through the same path the app reads.
 */
export const DEFAULT_STAC_IDLE_MS = 30_000;
export const STAC_IDLE_KEY = 'eee.stacIdleSeconds';
const MAX_IDLE_S = 600;

/** The idle timeout in ms; the default when nothing (or no whole number of seconds in range) is set. */
export function stacIdleMs(store: Pick<Storage, 'getItem'> | undefined): number {
  const raw = store?.getItem(STAC_IDLE_KEY)?.trim();
  if (!raw || !/^\d+$/.test(raw)) return DEFAULT_STAC_IDLE_MS;
  const seconds = Number(raw);
  return seconds >= 1 && seconds <= MAX_IDLE_S ? seconds * 1000 : DEFAULT_STAC_IDLE_MS;
}
