import type { Scene } from './scene.ts';

/**
 * Whether this context can share memory with other threads: a cross-origin-isolated page and
 * its workers (the app's servers send COOP/COEP), or Node.
 */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated !== false;
}

function shared<T extends Float32Array | Uint8Array>(a: T, make: (b: SharedArrayBuffer) => T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = make(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * The scene with its bands and mask in SharedArrayBuffers: posting it to the main thread or to
 * the encoder worker then hands over a reference, never a copy of the pixels. One copy here, in
 * the scene worker, at load; unchanged where memory cannot be shared.
 */
export function shareScene(scene: Scene): Scene {
  if (!canShareMemory()) return scene;
  return {
    ...scene,
    reflectance: scene.reflectance.map((b) => shared(b, (s) => new Float32Array(s))),
    valid: shared(scene.valid, (s) => new Uint8Array(s)),
  };
}
