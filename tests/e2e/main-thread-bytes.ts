import type { Page } from 'playwright-core';

/** What the main thread received from workers, by kind of buffer (bytes; counts for shared). */
export interface ReceivedBytes {
  /** Bytes of buffers copied or transferred to the main thread, by view type ("Float32Array"). */
  copied: Record<string, number>;
  /** The largest such buffer (bytes) and its type. */
  largest: { bytes: number; type: string };
  /** SharedArrayBuffer-backed arrays received: references, no bytes moved. */
  sharedArrays: number;
  messages: number;
}

/**
 * An init script that counts every buffer arriving on the page's main thread through a
 * Worker's or MessagePort's message events (comlink listens with addEventListener on both):
 * non-shared ArrayBuffers and typed arrays by type and size, SharedArrayBuffer views by
 * count. It wraps the listeners the app adds, so it sees exactly what the app receives.
 */
export const MAIN_THREAD_BYTES_SCRIPT = `(() => {
  const received = { copied: {}, largest: { bytes: 0, type: '' }, sharedArrays: 0, messages: 0 };
  window.__eeeReceived = received;
  const add = (type, bytes) => {
    received.copied[type] = (received.copied[type] || 0) + bytes;
    if (bytes > received.largest.bytes) received.largest = { bytes, type };
  };
  const walk = (value, seen, depth) => {
    if (value === null || typeof value !== 'object' || depth > 12 || seen.has(value)) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      if (typeof SharedArrayBuffer === 'function' && value.buffer instanceof SharedArrayBuffer) received.sharedArrays++;
      else add(value.constructor.name, value.byteLength);
      seen.add(value.buffer);
      return;
    }
    if (value instanceof ArrayBuffer) return add('ArrayBuffer', value.byteLength);
    if (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer) return;
    for (const key of Object.keys(value)) walk(value[key], seen, depth + 1);
  };
  const wrapped = new WeakMap();
  for (const Target of [Worker, MessagePort]) {
    const addListener = Target.prototype.addEventListener;
    const removeListener = Target.prototype.removeEventListener;
    Target.prototype.addEventListener = function (type, listener, options) {
      if (type !== 'message' || typeof listener !== 'function') return addListener.call(this, type, listener, options);
      let wrapper = wrapped.get(listener);
      if (!wrapper) {
        wrapper = function (event) {
          received.messages++;
          walk(event.data, new Set(), 0);
          return listener.call(this, event);
        };
        wrapped.set(listener, wrapper);
      }
      return addListener.call(this, type, wrapper, options);
    };
    Target.prototype.removeEventListener = function (type, listener, options) {
      return removeListener.call(this, type, wrapped.get(listener) || listener, options);
    };
  }
})();`;

/** Starts counting afresh (what came before, such as the start-up scene, is forgotten). */
export async function resetReceivedBytes(page: Page): Promise<void> {
  await page.evaluate(
    "Object.assign(window.__eeeReceived, { copied: {}, largest: { bytes: 0, type: '' }, sharedArrays: 0, messages: 0 })",
  );
}

export async function receivedBytes(page: Page): Promise<ReceivedBytes> {
  return (await page.evaluate('JSON.parse(JSON.stringify(window.__eeeReceived))')) as ReceivedBytes;
}
