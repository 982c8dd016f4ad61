// onnx-proto is CommonJS (`module.exports = $root`, protobufjs 6). Node's ESM loader cannot see
// its `onnx` named export, so a named import breaks under tsx/Vitest; the default import is
// `module.exports` in Node, Vite dev (pre-bundled) and Vite build alike.

import type { onnx } from 'onnx-proto';
import onnxProto from 'onnx-proto';
import { AppError } from '../errors.ts';

/** ONNX TensorProto.DataType codes for the element types the app emits. */
const ELEM_TYPE = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
} as const;

export type DType = keyof typeof ELEM_TYPE;
/** A dimension is a fixed size or a symbolic name (e.g. 'N' for the batch). */
export type Dim = number | string;
export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

export type AttrValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'tensor'; value: TensorData; dims: readonly number[] };
export type Attrs = Record<string, AttrValue>;

/**
 * Attribute constructors. ONNX distinguishes INT from FLOAT attributes and runtimes reject the
 * wrong one (1 vs 1.0 is invisible in JS), so the kind is always spelled out by the caller.
 */
export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  ints: (value: readonly number[]): AttrValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttrValue => ({ kind: 'floats', value }),
  tensor: (value: TensorData, dims: readonly number[]): AttrValue => ({ kind: 'tensor', value, dims }),
};

export interface ModelOptions {
  opset: number;
  producer?: string;
  producerVersion?: string;
  docString?: string;
  /** Extra operator sets, e.g. { 'com.microsoft': 1 }. */
  extraOpsets?: Record<string, number>;
  /** Stored as ModelProto.metadata_props; readable from an ORT session. */
  metadata?: Record<string, string>;
}

export interface NodeOptions {
  name?: string;
  domain?: string;
}

// IR 8 is the newest the onnx-proto schema (ONNX 1.10) knows, and it is what ONNX itself
// writes for opsets up to 17; current runtimes accept it for later opsets too.
const IR_VERSION = 8;

function dtypeOf(data: TensorData): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

/** raw_data is little-endian; so is every host the app runs on, which makes it a plain copy. */
function rawBytes(data: TensorData | Uint16Array): Uint8Array {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
    throw new AppError('unsupported', 'Writing ONNX tensors on a big-endian host is not supported.');
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

function tensorProto(
  name: string,
  data: TensorData | Uint16Array,
  dims: readonly number[],
  dtype: DType = dtypeOf(data as TensorData),
): onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (dims.some((d) => !Number.isInteger(d) || d < 0) || count !== data.length) {
    throw new AppError('model', `Tensor "${name}" has ${data.length} values but dims [${dims.join(', ')}].`);
  }
  return { name, dims: [...dims], dataType: ELEM_TYPE[dtype], rawData: rawBytes(data) };
}

/** protobufjs silently truncates non-integers written to int64 fields; refuse them instead. */
function integers(values: readonly number[], what: string): readonly number[] {
  if (!values.every(Number.isSafeInteger)) {
    throw new AppError('model', `"${what}" needs integers; got [${values.join(', ')}].`);
  }
  return values;
}

function attributeProto(name: string, a: AttrValue): onnx.IAttributeProto {
  const T = onnxProto.onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: integers([a.value], name)[0] ?? 0 };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: T.INTS, ints: [...integers(a.value, name)] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(name, a.value, a.dims) };
  }
}

function valueInfo(name: string, dtype: DType, shape: readonly Dim[] | undefined): onnx.IValueInfoProto {
  const dim = shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ELEM_TYPE[dtype], shape: dim ? { dim } : null } } };
}

/**
 * Builds an ONNX model node by node. Names are SSA: each value is defined once (graph input,
 * initializer or node output), and `toModel` checks that the graph is topologically ordered.
 */
export class GraphBuilder {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly taken = new Set<string>();
  private readonly counters = new Map<string, number>();

  constructor(readonly name: string) {}

  /** A name not used yet in this graph, derived from `base` (`base`, `base_1`, ...), now taken. */
  uniqueName(base: string): string {
    return this.claim(this.freeName(base), 'generated');
  }

  private freeName(base: string): string {
    let n = this.counters.get(base) ?? 0;
    let candidate = n === 0 ? base : `${base}_${n}`;
    while (this.taken.has(candidate)) candidate = `${base}_${++n}`;
    this.counters.set(base, n + 1);
    return candidate;
  }

  private claim(name: string, what: string): string {
    if (name === '') throw new AppError('model', `A ${what} in graph "${this.name}" has an empty name.`);
    if (this.taken.has(name)) {
      throw new AppError('model', `The ${what} name "${name}" is already used in graph "${this.name}".`);
    }
    this.taken.add(name);
    return name;
  }

  input(name: string, dtype: DType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name, 'graph input'), dtype, shape));
    return name;
  }

  /** Declares a graph output; `name` must be produced by a node (checked in `toModel`). */
  output(name: string, dtype: DType, shape?: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, dtype, shape));
    return name;
  }

  /** A constant tensor; its element type follows the array type (BigInt64Array gives int64). */
  initializer(name: string, data: TensorData, dims: readonly number[]): string {
    this.claim(name, 'initializer');
    this.initializers.push(tensorProto(name, data, dims));
    return name;
  }

  /**
   * A float16 constant given as IEEE half-precision bit patterns (JS has no Float16Array in
   * Node 20); an Int8Array initializer is int8 through `initializer`.
   */
  initializerFloat16(name: string, bits: Uint16Array, dims: readonly number[]): string {
    this.claim(name, 'initializer');
    this.initializers.push(tensorProto(name, bits, dims, 'float16'));
    return name;
  }

  /** Float32 constant under a fresh name derived from `base`; dims default to 1-D. */
  floats(base: string, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    return this.constant(base, Float32Array.from(values), dims);
  }

  /** Int64 constant (Gather indices, ReduceSum axes, Reshape shapes) under a fresh name. */
  int64s(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(base, BigInt64Array.from(integers(values, base), BigInt), dims);
  }

  private constant(base: string, data: TensorData, dims: readonly number[]): string {
    const name = this.uniqueName(base);
    this.initializers.push(tensorProto(name, data, dims));
    return name;
  }

  /** Adds a node with explicit output names. An input of '' marks an omitted optional input. */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Attrs = {},
    options: NodeOptions = {},
  ): string[] {
    const name = options.name ? this.claim(options.name, 'node') : this.uniqueName(opType);
    for (const out of outputs) this.claim(out, `output of node "${name}"`);
    const attribute = Object.entries(attrs).map(([key, value]) => attributeProto(key, value));
    const domain = options.domain ?? '';
    this.nodes.push({ name, opType, domain, input: [...inputs], output: [...outputs], attribute });
    return [...outputs];
  }

  /** Adds a single-output node whose output gets a fresh name; returns that name. */
  op(opType: string, inputs: readonly string[], attrs: Attrs = {}, options: NodeOptions = {}): string {
    const out = this.freeName(`${options.name ?? opType}_out`);
    return this.node(opType, inputs, [out], attrs, options)[0] ?? out;
  }

  /** Checks the wiring; throws AppError('model') naming the first offending node or output. */
  validate(): void {
    const defined = new Set<string>([
      ...this.inputs.map((v) => v.name ?? ''),
      ...this.initializers.map((t) => t.name ?? ''),
    ]);
    for (const node of this.nodes) {
      for (const input of node.input ?? []) {
        if (input !== '' && !defined.has(input)) {
          throw new AppError(
            'model',
            `Node "${node.name}" (${node.opType}) in graph "${this.name}" reads "${input}", which is not a graph input, an initializer or an output of an earlier node.`,
          );
        }
      }
      for (const out of node.output ?? []) defined.add(out);
    }
    if (this.outputs.length === 0) throw new AppError('model', `Graph "${this.name}" has no outputs.`);
    for (const out of this.outputs) {
      if (!defined.has(out.name ?? '')) {
        throw new AppError('model', `Graph output "${out.name}" of graph "${this.name}" is never produced.`);
      }
    }
  }

  /** Validates and serialises the model to ONNX protobuf bytes. */
  toModel(options: ModelOptions): Uint8Array {
    this.validate();
    const opsets = [{ domain: '', version: options.opset }];
    for (const [domain, version] of Object.entries(options.extraOpsets ?? {}))
      opsets.push({ domain, version });
    const model = onnxProto.onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: opsets,
      producerName: options.producer ?? 'earth-embedding-explorer',
      producerVersion: options.producerVersion ?? '',
      docString: options.docString ?? '',
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
        node: this.nodes,
      },
    });
    // In Node protobufjs returns a Buffer that may share a pooled ArrayBuffer; copy it so
    // callers can transfer `bytes.buffer` to a worker safely.
    return new Uint8Array(onnxProto.onnx.ModelProto.encode(model).finish());
  }
}
