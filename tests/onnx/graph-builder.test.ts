import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { attr, GraphBuilder } from '../../src/lib/onnx/graph-builder.ts';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

async function run(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('GraphBuilder', () => {
  it('builds MatMul + Add + Relu that onnxruntime-node runs', async () => {
    const g = new GraphBuilder('tiny');
    g.input('x', 'float32', ['N', 3]);
    g.initializer('w', Float32Array.from([1, 0, 0, 1, -1, 2]), [3, 2]);
    g.initializer('b', Float32Array.from([0.5, -10]), [2]);
    const mm = g.op('MatMul', ['x', 'w']);
    const sum = g.op('Add', [mm, 'b']);
    g.node('Relu', [sum], ['y']);
    g.output('y', 'float32', ['N', 2]);
    const bytes = g.toModel({ opset: 17 });

    // Row [1, 2, 3]: x.w = [1 - 3, 2 + 6] = [-2, 8]; + b = [-1.5, -2]; relu -> [0, 0].
    // Row [-1, 0, 4]: x.w = [-1 - 4, 0 + 8] = [-5, 8]; + b = [-4.5, -2]; relu -> [0, 0].
    const x = new ort.Tensor('float32', Float32Array.from([1, 2, 3, -1, 0, 4]), [2, 3]);
    const y = (await run(bytes, { x })).y;
    expect(y?.dims).toEqual([2, 2]);
    expect(Array.from(y?.data as Float32Array)).toEqual([0, 0, 0, 0]);

    const x2 = new ort.Tensor('float32', Float32Array.from([4, 5, 1, 0, 3, 7]), [2, 3]);
    // row 0: [4 - 1, 5 + 2] = [3, 7] + b = [3.5, -3] -> [3.5, 0]
    // row 1: [0 - 7, 3 + 14] = [-7, 17] + b = [-6.5, 7] -> [0, 7]
    const y2 = (await run(bytes, { x: x2 })).y;
    expect(Array.from(y2?.data as Float32Array)).toEqual([3.5, 0, 0, 7]);
  });

  it('encodes int, float, ints attributes and int64 initializers', async () => {
    const g = new GraphBuilder('attrs');
    g.input('x', 'float32', [2, 3]);
    const picked = g.op('Gather', ['x', g.int64s('cols', [2, 0])], { axis: attr.int(1) }); // [[x02,x00],[x12,x10]]
    const t = g.op('Transpose', [picked], { perm: attr.ints([1, 0]) });
    const leaky = g.op('LeakyRelu', [t], { alpha: attr.float(0.25) });
    g.node('ReduceSum', [leaky, g.int64s('axes', [-1])], ['s'], { keepdims: attr.int(0) });
    g.output('s', 'float32', [2]);
    const x = new ort.Tensor('float32', Float32Array.from([1, 2, -4, 3, 5, 8]), [2, 3]);
    // picked = [[-4, 1], [8, 3]]; transposed = [[-4, 8], [1, 3]]; leaky = [[-1, 8], [1, 3]]
    const s = (await run(g.toModel({ opset: 17 }), { x })).s;
    expect(Array.from(s?.data as Float32Array)).toEqual([7, 4]);
  });

  it('writes a model that onnx-proto decodes back', () => {
    const g = new GraphBuilder('meta');
    g.input('x', 'float32', ['N']);
    g.node('Identity', ['x'], ['y']);
    g.output('y', 'float32', ['N']);
    const bytes = g.toModel({ opset: 17, producer: 'test', metadata: { k: 'v' } });
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    const model = onnxProto.onnx.ModelProto.decode(bytes);
    expect(model.producerName).toBe('test');
    expect(Number(model.opsetImport[0]?.version)).toBe(17);
    expect(model.metadataProps[0]).toMatchObject({ key: 'k', value: 'v' });
    expect(model.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam).toBe('N');
  });

  it('generates unique names', () => {
    const g = new GraphBuilder('names');
    g.input('c', 'float32', [1]);
    expect(g.uniqueName('c')).toBe('c_1');
    expect(g.uniqueName('c')).toBe('c_2');
    expect(g.floats('w', [1])).toBe('w');
    expect(g.floats('w', [2])).toBe('w_1');
    expect(g.op('Relu', ['c'])).not.toBe(g.op('Relu', ['c']));
  });

  it('names the node that reads an undefined value', () => {
    const g = new GraphBuilder('broken');
    g.input('x', 'float32', [1]);
    g.node('Relu', ['x'], ['a'], {}, { name: 'first' });
    g.node('Add', ['a', 'later'], ['b'], {}, { name: 'adder' });
    g.node('Relu', ['x'], ['later']);
    g.output('b', 'float32', [1]);
    const error = thrown(() => g.toModel({ opset: 17 }));
    expect(error.code).toBe('model');
    expect(error.message).toContain('"adder"');
    expect(error.message).toContain('"later"');
  });

  it('rejects reused names, unproduced outputs and mis-sized tensors', () => {
    const g = new GraphBuilder('bad');
    g.input('x', 'float32', [1]);
    expect(thrown(() => g.node('Relu', ['x'], ['x'])).code).toBe('model');
    expect(thrown(() => g.initializer('w', Float32Array.from([1, 2]), [3])).code).toBe('model');
    g.output('nowhere', 'float32', [1]);
    expect(thrown(() => g.toModel({ opset: 17 })).message).toContain('"nowhere"');
  });
});
