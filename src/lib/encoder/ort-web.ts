import type * as OrtWeb from 'onnxruntime-web';

export type OrtWebModule = typeof OrtWeb;
export type WebExecutionProvider = 'wasm' | 'webgpu';

/**
 * The onnxruntime-web build for an execution provider. The JSEP build (WASM + WebGPU) is
 * compiled with Asyncify so that kernels can await the GPU; that instrumentation slows every
 * CPU kernel too: Presto ran ~1.4x more CPU time per pixel on it than on the plain WASM build
 * in Chromium (bench/README.md). So WASM sessions get the plain build and only WebGPU ones
 * the JSEP build. They are separate modules with separate `env`s and WASM instances, loaded
 * on first use; both are served from /ort/ (vite.config.ts).
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
