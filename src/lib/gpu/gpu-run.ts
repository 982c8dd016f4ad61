/// <reference types="@webgpu/types" />
import { AppError, throwIfAborted } from '../errors.ts';

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The compute pipeline for `code` (entry point main), compiled once per device. */
export function pipeline(device: GPUDevice, code: string): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) {
    cache = new Map();
    pipelines.set(device, cache);
  }
  let made = cache.get(code);
  if (!made) {
    made = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
    });
    cache.set(code, made);
  }
  return made;
}

/** Buffers made for one operation, destroyed together when it ends (success or failure). */
export class BufferScope {
  private readonly buffers: GPUBuffer[] = [];

  constructor(readonly device: GPUDevice) {}

  storage(bytes: number, extra = 0): GPUBuffer {
    const buffer = this.device.createBuffer({
      size: Math.max(16, Math.ceil(bytes / 4) * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extra,
    });
    this.buffers.push(buffer);
    return buffer;
  }

  /** A storage buffer holding `data`. */
  input(data: Float32Array | Uint32Array): GPUBuffer {
    const buffer = this.storage(data.byteLength);
    // WebGPU takes views of ArrayBuffer and SharedArrayBuffer alike; the type only lacks the union.
    this.device.queue.writeBuffer(buffer, 0, data as Uint32Array<ArrayBuffer>);
    return buffer;
  }

  /** A uniform buffer of u32/f32 words (written as raw 32-bit values). */
  uniform(words: ArrayBuffer): GPUBuffer {
    const buffer = this.device.createBuffer({
      size: Math.max(16, Math.ceil(words.byteLength / 16) * 16),
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.buffers.push(buffer);
    this.device.queue.writeBuffer(buffer, 0, words);
    return buffer;
  }

  destroy(): void {
    for (const buffer of this.buffers.splice(0)) buffer.destroy();
  }
}

/** Packs u32 and f32 fields into one uniform block (each 4 bytes, in order). */
export function words(values: ReadonlyArray<{ u: number } | { f: number }>): ArrayBuffer {
  const buffer = new ArrayBuffer(values.length * 4);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  values.forEach((v, i) => {
    if ('u' in v) u[i] = v.u;
    else f[i] = v.f;
  });
  return buffer;
}

/** Binds `buffers` to bindings 0..n-1 of group 0 and dispatches `groups` workgroups. */
export function dispatch(
  encoder: GPUCommandEncoder,
  device: GPUDevice,
  pipe: GPUComputePipeline,
  buffers: GPUBuffer[],
  groups: number,
): void {
  const bindGroup = device.createBindGroup({
    layout: pipe.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipe);
  pass.setBindGroup(0, bindGroup);
  // Dispatch dimensions are capped at 65535; shaders fold (x, y) back into one index.
  const x = Math.min(groups, 65535);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
  pass.end();
}

/** Copies `bytes` of `source` to the CPU (waits for the queue). Honors `signal` before mapping. */
export async function readBack(
  device: GPUDevice,
  source: GPUBuffer,
  bytes: number,
  signal?: AbortSignal,
): Promise<ArrayBuffer> {
  const size = Math.ceil(bytes / 4) * 4;
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, staging, 0, size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    throwIfAborted(signal, 'The GPU computation');
    return staging.getMappedRange(0, size).slice(0, bytes);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'internal',
      `Reading GPU results failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    staging.destroy();
  }
}
