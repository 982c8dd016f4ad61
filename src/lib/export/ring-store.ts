/**
 * Storage for traced rings. A noisy cluster map has hundreds of thousands of rings; one
 * growing JS array each made the garbage collector the bottleneck (5x slower than tracing),
 * so rings are copied, at their final size, into large shared Int32Array chunks and handed
 * out as views.
 */

/** A closed ring as flat [x0, y0, x1, y1, ...] corner coordinates, first vertex not repeated. */
export type PixelRing = Int32Array;

const CHUNK = 1 << 20;

export interface RingStore {
  /** A stored copy of the first `n` values of `source`. */
  keep(source: Int32Array, n: number): PixelRing;
}

export function ringStore(): RingStore {
  let chunk = new Int32Array(CHUNK);
  let used = 0;
  return {
    keep(source, n) {
      if (used + n > chunk.length) {
        chunk = new Int32Array(Math.max(CHUNK, n));
        used = 0;
      }
      chunk.set(source.subarray(0, n), used);
      used += n;
      return chunk.subarray(used - n, used);
    },
  };
}

/**
 * Splits a walk that passes through a corner twice (two same-label pixels touching only
 * diagonally) into simple rings, so every ring is valid for GEOS/QGIS. Each piece keeps the
 * region on its left, so its orientation still says outer ring or hole. `slot` maps corner
 * index (y * stride + x) to 1 + position on `stack` (scratch as long as `walk`), 0 = absent;
 * it is left all zero.
 */
export function splitAtRepeats(
  walk: Int32Array,
  n: number,
  stride: number,
  slot: Int32Array,
  stack: Int32Array,
  store: RingStore,
  emit: (ring: PixelRing) => void,
): void {
  let top = 0;
  for (let i = 0; i < n; i += 2) {
    const x = walk[i]!;
    const y = walk[i + 1]!;
    const key = y * stride + x;
    const at = slot[key]! - 1;
    if (at < 0) {
      slot[key] = top + 1;
      stack[top++] = x;
      stack[top++] = y;
      continue;
    }
    // Close the loop that started at this corner; the corner itself stays on the stack.
    for (let k = at + 2; k < top; k += 2) slot[stack[k + 1]! * stride + stack[k]!] = 0;
    emit(store.keep(stack.subarray(at), top - at));
    top = at + 2;
  }
  for (let k = 0; k < top; k += 2) slot[stack[k + 1]! * stride + stack[k]!] = 0;
  emit(store.keep(stack, top));
}
