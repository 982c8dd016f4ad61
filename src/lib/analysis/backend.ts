import type { GpuProbe } from '../gpu/index.ts';
import { wasmSimdAvailable } from './wasm/wasm-grid.ts';

export type AnalysisBackend = 'webgpu' | 'cpu';
/** 'auto' picks WebGPU on a hardware adapter; 'webgpu' also takes a software one (tests). */
export type BackendPreference = 'auto' | 'webgpu' | 'cpu';

export interface BackendInfo {
  backend: AnalysisBackend;
  /** One sentence for the user: what runs the analysis and why. */
  reason: string;
}

/**
 * The one place that decides where analysis runs, from a cached, never-throwing GPU probe.
 * A software adapter (SwiftShader, the only WebGPU on machines without a GPU) gives correct
 * answers but emulates the GPU on the CPU, slower than the CPU path itself, so 'auto' skips it.
 */
export function chooseAnalysisBackend(probe: GpuProbe, preference: BackendPreference = 'auto'): BackendInfo {
  const cpu = wasmSimdAvailable() ? 'CPU (WebAssembly SIMD k-means)' : 'CPU (JavaScript)';
  if (preference === 'cpu') return { backend: 'cpu', reason: `${cpu}: chosen in the settings.` };
  const context = probe.context;
  if (!context) return { backend: 'cpu', reason: `${cpu}: no WebGPU (${probe.detail}).` };
  if (context.fallback && preference === 'auto') {
    return {
      backend: 'cpu',
      reason: `${cpu}: the only WebGPU adapter is a software one (${context.detail}), slower than the CPU.`,
    };
  }
  return { backend: 'webgpu', reason: `WebGPU on ${context.detail}.` };
}
