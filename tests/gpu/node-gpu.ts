/// <reference types="@webgpu/types" />
import { existsSync } from 'node:fs';

/** Chromium's SwiftShader Vulkan driver and loader, which Dawn (npm `webgpu`) can use. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
export const CHROMIUM_LIB = '/usr/lib/chromium';

/**
 * Environment for a Node process that gets a WebGPU adapter from the `webgpu` package:
 * the Vulkan loader is only found through LD_LIBRARY_PATH (read at process start, hence a
 * child process), the driver through VK_ICD_FILENAMES.
 */
export function gpuChildEnv(): NodeJS.ProcessEnv | undefined {
  if (!existsSync(SWIFTSHADER_ICD)) return undefined;
  const path = process.env.LD_LIBRARY_PATH;
  return {
    ...process.env,
    VK_ICD_FILENAMES: SWIFTSHADER_ICD,
    LD_LIBRARY_PATH: path ? `${CHROMIUM_LIB}:${path}` : CHROMIUM_LIB,
  };
}

// Dawn's navigator object must outlive every device made from it, or Node crashes on GC.
const keep: unknown[] = [];

/** navigator.gpu of the `webgpu` package, with its GPU* constants installed as globals. */
export async function nodeGpu(): Promise<GPU> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  keep.push(gpu);
  return gpu;
}
