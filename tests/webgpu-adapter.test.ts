import { describe, expect, it } from 'vitest';
import { probeGpu } from '../src/lib/gpu/index.ts';
import { type AdapterTraits, isSoftwareAdapter } from '../src/lib/webgpu-adapter.ts';

/**
 * A stand-in for navigator.gpu: Node has no WebGPU here, and what is under test is how the
 * probe reads the adapter's self-description, not a GPU.
 */
function gpuSource(traits: AdapterTraits): Parameters<typeof probeGpu>[0] {
  const limits = {
    maxStorageBufferBindingSize: 1 << 27,
    maxBufferSize: 1 << 28,
    maxStorageBuffersPerShaderStage: 8,
  };
  const adapter = {
    ...traits,
    limits,
    features: new Set<string>(),
    requestDevice: async () => ({ limits }),
  };
  return { requestAdapter: async () => adapter } as unknown as Parameters<typeof probeGpu>[0];
}

describe('one notion of a software WebGPU adapter', () => {
  it('reads every place browsers flag one, and only those', () => {
    expect(isSoftwareAdapter({ info: { isFallbackAdapter: true } })).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } })).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'apple', architecture: 'metal-3' } })).toBe(false);
    expect(isSoftwareAdapter({})).toBe(false);
  });

  it("analysis' probe calls an adapter that only names SwiftShader software, as the encoder's does", async () => {
    const probe = await probeGpu(gpuSource({ info: { vendor: 'google', architecture: 'swiftshader' } }));
    expect(probe.context?.fallback).toBe(true);
    expect(probe.detail).toBe('google swiftshader (software)');
    const old = await probeGpu(gpuSource({ isFallbackAdapter: true, info: { vendor: 'google' } }));
    expect(old.context?.fallback).toBe(true);
    const hardware = await probeGpu(gpuSource({ info: { vendor: 'nvidia', architecture: 'hopper' } }));
    expect(hardware.context?.fallback).toBe(false);
  });
});
