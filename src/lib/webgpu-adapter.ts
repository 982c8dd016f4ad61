/**
 * What a WebGPU adapter says about itself, read the same way by both probes (the encoder's,
 * encoder/capabilities.ts, and analysis', gpu/gpu-context.ts), so the two never disagree on
 * whether the only WebGPU here is a software one.
 */
export interface AdapterTraits {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean };
}

/**
 * A software adapter (SwiftShader: a machine without a usable GPU, or a headless browser) is
 * correct but slower than the CPU paths. Browsers flag it in different places (the adapter's
 * own isFallbackAdapter in older Chromium, adapter.info's in newer), and some only name it.
 */
export function isSoftwareAdapter(adapter: AdapterTraits): boolean {
  return (
    adapter.info?.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    adapter.info?.architecture?.toLowerCase() === 'swiftshader'
  );
}

/** The adapter's vendor and architecture, for the user ("apple metal-3", "google swiftshader"). */
export function adapterName(adapter: AdapterTraits): string {
  return `${adapter.info?.vendor || 'unknown vendor'} ${adapter.info?.architecture ?? ''}`.trim();
}
