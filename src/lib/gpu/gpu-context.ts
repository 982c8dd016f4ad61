/// <reference types="@webgpu/types" />

import { adapterName, isSoftwareAdapter } from '../webgpu-adapter.ts';

/**
 * One WebGPU device for the analysis engine. The probe is cached and never throws: no
 * WebGPU is an answer ("navigator.gpu is absent"), shown to the user, and the CPU paths run.
 */
export interface GpuContext {
  device: GPUDevice;
  /** Largest storage binding this device accepts (the embedding chunks stay below it). */
  maxBindingBytes: number;
  /** Software adapter (SwiftShader and the like): correct but slower than the CPU path. */
  fallback: boolean;
  detail: string;
}

export interface GpuProbe {
  context: GpuContext | undefined;
  detail: string;
}

/** Where a GPU comes from: navigator.gpu in browsers, the `webgpu` package's create([]) in Node. */
export type GpuSource = Pick<GPU, 'requestAdapter'> | undefined;

function navigatorGpu(): GpuSource {
  return (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
}

/** Requests an adapter and a device with the adapter's storage limits; never throws. */
export async function probeGpu(source: GpuSource = navigatorGpu()): Promise<GpuProbe> {
  if (!source) return { context: undefined, detail: 'navigator.gpu is absent' };
  try {
    const adapter = await source.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { context: undefined, detail: 'requestAdapter() returned null' };
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(10, limits.maxStorageBuffersPerShaderStage),
      },
    });
    // The same test as the encoder's probe: one notion of a software adapter in the app.
    const fallback = isSoftwareAdapter(adapter);
    const detail = `${adapterName(adapter)}${fallback ? ' (software)' : ''}`;
    return {
      context: {
        device,
        maxBindingBytes: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize),
        fallback,
        detail,
      },
      detail,
    };
  } catch (error) {
    return {
      context: undefined,
      detail: `WebGPU device request failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

let cached: Promise<GpuProbe> | undefined;

/** The page's (or worker's) GPU probe, made once. */
export function sharedGpu(): Promise<GpuProbe> {
  cached ??= probeGpu();
  return cached;
}
