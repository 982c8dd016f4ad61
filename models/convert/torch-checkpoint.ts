import { unzipSync } from 'fflate';
import { AppError } from '../../src/lib/errors.ts';
import { unpickle } from './unpickle.ts';

export interface CheckpointTensor {
  dtype: 'float32';
  shape: number[];
  data: Float32Array;
}

/** What `persistent_load` gives for ('storage', FloatStorage, key, location, numel). */
export interface StorageRef {
  kind: 'storage';
  key: string;
  numel: number;
}

/** What `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)` gives. */
export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

function fail(message: string): never {
  throw new AppError('model', `The PyTorch checkpoint cannot be read: ${message}.`);
}

/** torch.save zips everything under one top folder (`archive/`, or the file's stem). */
function archiveRoot(files: Record<string, Uint8Array>): string {
  const pickle = Object.keys(files).find((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (!pickle) fail('no <folder>/data.pkl in the zip (is it a torch.save file from PyTorch >= 1.6?)');
  return pickle.slice(0, -'data.pkl'.length);
}

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] ?? 1) * (shape[i + 1] ?? 1);
  return strides;
}

function tensorData(name: string, ref: TensorRef, storages: Map<string, Float32Array>): Float32Array {
  const count = ref.shape.reduce((a, b) => a * b, 1);
  const expected = contiguousStrides(ref.shape);
  // Dimensions of size 1 may carry any stride; only the others decide contiguity.
  if (count > 0 && ref.shape.some((size, i) => size > 1 && ref.stride[i] !== expected[i])) {
    fail(
      `tensor "${name}" is not contiguous (shape [${ref.shape.join(', ')}], stride [${ref.stride.join(', ')}])`,
    );
  }
  const storage = storages.get(ref.storage.key);
  if (!storage) fail(`storage ${ref.storage.key} of tensor "${name}" is missing`);
  if (ref.offset < 0 || ref.offset + count > storage.length) {
    fail(`tensor "${name}" reaches past the end of its storage (${storage.length} values)`);
  }
  return storage.slice(ref.offset, ref.offset + count);
}

function readStorage(bytes: Uint8Array, ref: StorageRef): Float32Array {
  if (bytes.length !== ref.numel * 4) {
    fail(`storage ${ref.key} holds ${bytes.length} bytes, expected ${ref.numel} float32 values`);
  }
  // Copy: zip entries are not 4-byte aligned, and the little-endian layout matches every host.
  return new Float32Array(bytes.slice().buffer);
}

/**
 * Reads a torch.save (zip) checkpoint holding a state dict of float32 tensors. The pickle is
 * interpreted by a closed unpickler that knows only the globals a state dict needs, so a
 * checkpoint can never run code. Returns tensors by name, in the file's order.
 */
export function readTorchCheckpoint(bytes: Uint8Array): Map<string, CheckpointTensor> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    fail(`it is not a zip file (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = archiveRoot(files);
  const pickle = files[`${root}data.pkl`];
  if (!pickle) fail('data.pkl is missing');
  const state = unpickle(pickle);
  if (!(state instanceof Map)) fail('the pickle does not hold a state dict (an OrderedDict)');

  const storages = new Map<string, Float32Array>();
  const out = new Map<string, CheckpointTensor>();
  for (const [name, value] of state) {
    if (typeof name !== 'string') fail('a state-dict key is not a string');
    if (!isTensorRef(value)) fail(`entry "${name}" is not a tensor`);
    const key = value.storage.key;
    if (!storages.has(key)) {
      const raw = files[`${root}data/${key}`];
      if (!raw) fail(`the storage file data/${key} of "${name}" is missing`);
      storages.set(key, readStorage(raw, value.storage));
    }
    out.set(name, { dtype: 'float32', shape: [...value.shape], data: tensorData(name, value, storages) });
  }
  return out;
}

function isTensorRef(value: unknown): value is TensorRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'tensor';
}
