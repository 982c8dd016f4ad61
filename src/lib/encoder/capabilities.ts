/**
 * What this browser context can run, probed once and cached. Probes never throw: a failed
 * probe is an answer ("no WebGPU: requestAdapter returned null"), shown to the user.
 */
export interface Capabilities {
  webgpu: boolean;
  webgpuDetail: string;
  shaderF16: boolean;
  threads: number;
  crossOriginIsolated: boolean;
}

let cached: Promise<Capabilities> | undefined;

async function probeWebGpu(): Promise<{ ok: boolean; detail: string; f16: boolean }> {
  const gpu = (
    globalThis.navigator as Navigator & {
      gpu?: {
        requestAdapter(): Promise<{
          features: Set<string>;
          info?: { vendor?: string; architecture?: string };
        } | null>;
      };
    }
  ).gpu;
  if (!gpu) return { ok: false, detail: 'navigator.gpu is absent', f16: false };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, detail: 'requestAdapter() returned null', f16: false };
    const info = adapter.info;
    return {
      ok: true,
      detail: `${info?.vendor ?? 'unknown vendor'} ${info?.architecture ?? ''}`.trim(),
      f16: adapter.features.has('shader-f16'),
    };
  } catch (error) {
    return {
      ok: false,
      detail: `requestAdapter() failed: ${error instanceof Error ? error.message : String(error)}`,
      f16: false,
    };
  }
}

export function probeCapabilities(): Promise<Capabilities> {
  cached ??= (async () => {
    const gpu = await probeWebGpu();
    const isolated = globalThis.crossOriginIsolated === true;
    const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
    return {
      webgpu: gpu.ok,
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
  dtype: 'fp32';
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
