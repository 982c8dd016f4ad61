import type * as OrtWeb from 'onnxruntime-web';

export type OrtWebModule = typeof OrtWeb;
export type WebExecutionProvider = 'wasm' | 'webgpu';

/**
 * The onnxruntime-web build for an execution provider. The JSEP build (WASM + WebGPU) is
 * compiled with Asyncify and is twice the size of the plain WASM build (28 vs 14 MB). Once
 * warm, both run the CPU kernels at the same speed, but V8 compiles and tiers up the JSEP one
 * far more slowly: for Presto in Chromium on the 2-core machines its session took ~1.1-1.7 s
 * to create instead of ~0.5-0.7 s and its first 2048-pixel batch ~1.7-2.3 s instead of
 * ~0.6-1.0 s, and it sometimes ran below full speed for seconds longer. So WASM sessions get
 * the plain build and only WebGPU ones the JSEP build. They are separate modules with separate `env`s
 * and WASM instances, loaded on first use; both are served from /ort/ (vite.config.ts).
 */
export function loadOrtWeb(executionProvider: WebExecutionProvider): Promise<OrtWebModule> {
  return executionProvider === 'webgpu' ? import('onnxruntime-web') : import('onnxruntime-web/wasm');
}

/**
 * Applies the app's settings to a build, in a worker, before its first session: WASM from
 * the app's own /ort/ route (no CDN, works offline), `threads` WASM threads (fixed once the
 * WASM is instantiated), no proxy worker (the caller is already a worker).
 */
export function configureOrtWeb(ort: OrtWebModule, threads: number): void {
  ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.origin).href;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
}
