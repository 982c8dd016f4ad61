import { AppError } from '../errors.ts';
import { type AdapterTraits, adapterName, isSoftwareAdapter } from '../webgpu-adapter.ts';

/**
 * What this browser context can run, probed once and cached. Probes never throw: a failed
 * probe is an answer ("no WebGPU: requestAdapter returned null"), shown to the user.
 */
export interface Capabilities {
  webgpu: boolean;
  /** A software adapter (SwiftShader): correct, but far slower than WASM. */
  webgpuFallback: boolean;
  webgpuDetail: string;
  shaderF16: boolean;
  threads: number;
  crossOriginIsolated: boolean;
}

let cached: Promise<Capabilities> | undefined;

interface AdapterLike extends AdapterTraits {
  features: Set<string>;
}

async function probeWebGpu(): Promise<{ ok: boolean; detail: string; f16: boolean; fallback: boolean }> {
  // Node before 21 has no navigator at all (the CLI and tests probe too).
  const gpu = (
    globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined
  )?.gpu;
  if (!gpu) return { ok: false, detail: 'navigator.gpu is absent', f16: false, fallback: false };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, detail: 'requestAdapter() returned null', f16: false, fallback: false };
    const fallback = isSoftwareAdapter(adapter);
    return { ok: true, detail: adapterName(adapter), f16: adapter.features.has('shader-f16'), fallback };
  } catch (error) {
    const detail = `requestAdapter() failed: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, detail, f16: false, fallback: false };
  }
}

export function probeCapabilities(): Promise<Capabilities> {
  cached ??= (async () => {
    const gpu = await probeWebGpu();
    const isolated = globalThis.crossOriginIsolated === true;
    const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
    return {
      webgpu: gpu.ok,
      webgpuFallback: gpu.fallback,
      webgpuDetail: gpu.detail,
      shaderF16: gpu.f16,
      // Threaded WASM needs SharedArrayBuffer, which needs cross-origin isolation.
      threads: isolated ? Math.max(1, Math.min(4, cores)) : 1,
      crossOriginIsolated: isolated,
    };
  })();
  return cached;
}

export interface BackendChoice {
  executionProvider: 'wasm' | 'webgpu';
  dtype: 'fp32' | 'fp16' | 'int8';
  threads: number;
  reason: string;
}

/**
 * The spectral encoder is a handful of element-wise operations per pixel: on WebGPU the
 * upload and read-back cost more than the arithmetic, so it always runs on WASM. Learned
 * encoders (Presto) will choose WebGPU when an adapter exists.
 */
export function chooseBackendForPixelGraph(caps: Capabilities): BackendChoice {
  const threads = caps.threads;
  const threading = caps.crossOriginIsolated
    ? `${threads} thread(s)`
    : '1 thread (page not cross-origin isolated)';
  return {
    executionProvider: 'wasm',
    dtype: 'fp32',
    threads,
    reason: `WASM, ${threading}: the spectral graph is element-wise, so WebGPU (${caps.webgpu ? `available: ${caps.webgpuDetail}` : `unavailable: ${caps.webgpuDetail}`}) would spend more on transfers than on compute.`,
  };
}

export type BackendPreference = 'auto' | 'wasm' | 'webgpu';

/**
 * Backend and variant for a learned encoder. WebGPU when a hardware adapter exists (fp16 if
 * it has shader-f16, else fp32; never int8, whose ops fall back to the CPU on the WebGPU EP);
 * otherwise WASM with int8, whose accuracy bound (cosine >= 0.99 to the reference, a test)
 * holds, which runs its matrix products in integers (~1.3x the fp32 speed on WASM) and
 * downloads a third of the bytes. An explicit preference the device cannot
 * honour is an error, not a silent switch.
 */
export function chooseBackendForModel(
  caps: Capabilities,
  preference: BackendPreference,
  dtypes: readonly string[],
): BackendChoice {
  const has = (d: string) => dtypes.includes(d);
  const threading = caps.crossOriginIsolated
    ? `${caps.threads} thread(s)`
    : '1 thread (page not cross-origin isolated)';
  const gpuUsable = caps.webgpu && !caps.webgpuFallback;
  if (preference === 'webgpu' && !caps.webgpu) {
    throw new AppError(
      'unsupported',
      `WebGPU was asked for, but this browser has none (${caps.webgpuDetail}). Choose WASM or Automatic.`,
    );
  }
  if (preference === 'webgpu' || (preference === 'auto' && gpuUsable)) {
    const dtype = caps.shaderF16 && has('fp16') ? 'fp16' : 'fp32';
    return {
      executionProvider: 'webgpu',
      dtype,
      threads: caps.threads,
      reason: `WebGPU on ${caps.webgpuDetail}${caps.webgpuFallback ? ' (a software adapter: slow)' : ''}, ${dtype}${dtype === 'fp32' ? ' (no shader-f16)' : ''}.`,
    };
  }
  const dtype = has('int8') ? 'int8' : 'fp32';
  const why =
    preference === 'wasm'
      ? 'WASM as chosen'
      : caps.webgpu
        ? `WASM: the WebGPU adapter (${caps.webgpuDetail}) is a software fallback, slower than WASM`
        : `WASM: no WebGPU (${caps.webgpuDetail})`;
  return {
    executionProvider: 'wasm',
    dtype,
    threads: caps.threads,
    reason: `${why}, ${threading}, ${dtype}${dtype === 'int8' ? ' (integer matrix products, within its accuracy bound, a third of the download)' : ''}.`,
  };
}
