import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readTorchCheckpoint } from '../../models/convert/torch-checkpoint.ts';
import { AppError } from '../../src/lib/errors.ts';
import { CHECKPOINT_PATH, missing } from './presto-fixtures.ts';

/** Pickle opcodes, spelled out the way torch.save (protocol 2) writes a state dict. */
const text = (s: string): number[] => [...new TextEncoder().encode(s)];
const op = {
  proto: [0x80, 2],
  global: (module: string, name: string): number[] => [0x63, ...text(`${module}\n${name}\n`)],
  str: (s: string): number[] => [0x58, ...new Uint8Array(Uint32Array.of(text(s).length).buffer), ...text(s)],
  int: (n: number): number[] => [0x4b, n],
  mark: [0x28],
  tuple: [0x74],
  emptyTuple: [0x29],
  reduce: [0x52],
  persid: [0x51],
  newFalse: [0x89],
  setitems: [0x75],
  stop: [0x2e],
};

/** A state dict {name: tensor(storage '0', shape, stride)} with the given storage type. */
function statePickle(options: {
  shape: number[];
  stride: number[];
  storage?: string;
  offset?: number;
}): Uint8Array {
  const ints = (v: number[]): number[] => [...op.mark, ...v.flatMap(op.int), ...op.tuple];
  const numel = 8;
  return Uint8Array.from([
    ...op.proto,
    ...op.global('collections', 'OrderedDict'),
    ...op.emptyTuple,
    ...op.reduce,
    ...op.mark,
    ...op.str('layer.weight'),
    ...op.global('torch._utils', '_rebuild_tensor_v2'),
    ...op.mark,
    ...[...op.mark, ...op.str('storage'), ...op.global('torch', options.storage ?? 'FloatStorage')],
    ...[...op.str('0'), ...op.str('cpu'), ...op.int(numel), ...op.tuple, ...op.persid],
    ...op.int(options.offset ?? 0),
    ...ints(options.shape),
    ...ints(options.stride),
    ...op.newFalse,
    ...[...op.global('collections', 'OrderedDict'), ...op.emptyTuple, ...op.reduce],
    ...op.tuple,
    ...op.reduce,
    ...op.setitems,
    ...op.stop,
  ]);
}

function checkpoint(pickle: Uint8Array): Uint8Array {
  const storage = new Uint8Array(Float32Array.from({ length: 8 }, (_, i) => i).buffer);
  return zipSync(
    {
      'archive/data.pkl': pickle,
      'archive/data/0': storage,
      'archive/version': Uint8Array.from(text('3\n')),
    },
    { level: 0 },
  );
}

function refusal(bytes: Uint8Array): string {
  try {
    readTorchCheckpoint(bytes);
  } catch (error) {
    if (error instanceof AppError && error.code === 'model') return error.message;
    throw error;
  }
  return 'no error';
}

describe('readTorchCheckpoint on hand-written torch.save files', () => {
  it('reads a contiguous tensor, honouring the storage offset', () => {
    const tensors = readTorchCheckpoint(
      checkpoint(statePickle({ shape: [2, 3], stride: [3, 1], offset: 2 })),
    );
    expect([...tensors.keys()]).toEqual(['layer.weight']);
    const t = tensors.get('layer.weight');
    expect(t?.shape).toEqual([2, 3]);
    expect([...(t?.data ?? [])]).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('refuses a non-contiguous tensor', () => {
    expect(refusal(checkpoint(statePickle({ shape: [2, 2], stride: [1, 2] })))).toMatch(/not contiguous/);
  });

  it('refuses a tensor that reaches past its storage', () => {
    expect(refusal(checkpoint(statePickle({ shape: [3, 3], stride: [3, 1] })))).toMatch(/past the end/);
  });

  it('refuses storages other than float32, naming the type', () => {
    expect(refusal(checkpoint(statePickle({ shape: [2], stride: [1], storage: 'HalfStorage' })))).toMatch(
      /Half are not supported/,
    );
  });

  it('refuses any global a state dict does not need, without calling it', () => {
    const evil = Uint8Array.from([
      ...op.proto,
      ...op.global('os', 'system'),
      ...op.mark,
      ...op.str('echo hi'),
      ...op.tuple,
      ...op.reduce,
      ...op.stop,
    ]);
    expect(refusal(checkpoint(evil))).toMatch(/os\.system.*refusing/);
  });

  it('refuses opcodes outside protocol 2 and files that are not zips', () => {
    expect(refusal(checkpoint(Uint8Array.from([...op.proto, 0x93, ...op.stop])))).toMatch(/opcode 0x93/);
    expect(refusal(Uint8Array.from([1, 2, 3, 4]))).toMatch(/not a zip|data\.pkl/);
    expect(refusal(checkpoint(Uint8Array.from([...op.proto, ...op.int(1)])))).toMatch(/ends early/);
  });
});

const skip = missing(CHECKPOINT_PATH);

describe.skipIf(skip)('readTorchCheckpoint on the real Presto checkpoint', () => {
  it('reads 404,160 float32 encoder parameters with the published shapes', () => {
    const tensors = readTorchCheckpoint(readFileSync(CHECKPOINT_PATH));
    const encoder = [...tensors].filter(([name]) => name.startsWith('encoder.'));
    expect(encoder.reduce((n, [, t]) => n + t.data.length, 0)).toBe(404_160);
    expect(encoder.length).toBe(50);
    const shape = (name: string): number[] | undefined => tensors.get(name)?.shape;
    expect(shape('encoder.pos_embed')).toEqual([1, 24, 64]);
    expect(shape('encoder.month_embed.weight')).toEqual([12, 32]);
    expect(shape('encoder.channel_embed.weight')).toEqual([10, 32]);
    expect(shape('encoder.dw_embed.weight')).toEqual([10, 128]);
    expect(shape('encoder.latlon_embed.weight')).toEqual([128, 3]);
    expect(shape('encoder.eo_patch_embed.S2_RGB.weight')).toEqual([128, 3]);
    expect(shape('encoder.blocks.1.attn.qkv.weight')).toEqual([384, 128]);
    expect(shape('encoder.blocks.1.mlp.fc1.weight')).toEqual([512, 128]);
    expect(tensors.size).toBeGreaterThan(encoder.length); // decoder.* is there too, unused
    for (const [name, t] of encoder) {
      expect(t.data.length, name).toBe(t.shape.reduce((a, b) => a * b, 1));
      expect(t.data.every(Number.isFinite), name).toBe(true);
    }
    // LayerNorm scales are learned values near 1, not zeros or garbage from a wrong offset.
    const norm = tensors.get('encoder.norm.weight')?.data ?? new Float32Array();
    expect(norm.reduce((a, b) => a + b, 0) / norm.length).toBeGreaterThan(0.2);
  });
});
