import { AppError } from '../../src/lib/errors.ts';
import type { StorageRef, TensorRef } from './torch-checkpoint.ts';

/**
 * A closed unpickler for what torch.save writes for a state dict (pickle protocol 2).
 * Unlike Python's pickle it calls nothing: the three globals a state dict needs are symbols
 * with fixed meanings, and any other global or opcode is refused.
 */

type Global = { kind: 'global'; name: (typeof GLOBALS)[number] };
type Mark = { kind: 'mark' };
export type PickleValue =
  | number
  | string
  | boolean
  | null
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | Global
  | StorageRef
  | TensorRef;

const GLOBALS = ['collections.OrderedDict', 'torch._utils._rebuild_tensor_v2', 'torch.FloatStorage'] as const;
const OTHER_STORAGES = /^torch\.(\w+)Storage$/;
const MARK: Mark = { kind: 'mark' };
const isMark = (v: PickleValue | Mark | undefined): v is Mark | undefined => v === undefined || v === MARK;

function fail(message: string): never {
  throw new AppError('model', `The PyTorch checkpoint cannot be read: ${message}.`);
}

function isGlobal(value: unknown, name: Global['name']): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Global).kind === 'global' &&
    (value as Global).name === name
  );
}

function ints(value: PickleValue | Mark | undefined, what: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v)))
    fail(`${what} is not a tuple of integers`);
  return value as number[];
}

function persistentLoad(pid: PickleValue | Mark | undefined): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length !== 5) fail('unexpected persistent id');
  const [, type, key, , numel] = pid;
  if (!isGlobal(type, 'torch.FloatStorage'))
    fail('a tensor storage is not float32 (only FloatStorage is supported)');
  if (typeof key !== 'string' || !/^\w+$/.test(key)) fail('a storage key is not a plain name');
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel)) fail(`storage ${key} has no element count`);
  return { kind: 'storage', key, numel };
}

function reduce(callable: PickleValue | Mark | undefined, args: PickleValue | Mark | undefined): PickleValue {
  if (!Array.isArray(args)) fail('REDUCE without an argument tuple');
  if (isGlobal(callable, 'collections.OrderedDict')) {
    if (args.length !== 0) fail('OrderedDict called with arguments');
    return new Map();
  }
  if (isGlobal(callable, 'torch._utils._rebuild_tensor_v2')) {
    const [storage, offset, shape, stride] = args;
    if (typeof storage !== 'object' || storage === null || (storage as StorageRef).kind !== 'storage') {
      fail('_rebuild_tensor_v2 without a storage');
    }
    if (typeof offset !== 'number') fail('_rebuild_tensor_v2 without a storage offset');
    const size = ints(shape, 'a tensor size');
    const strides = ints(stride, 'a tensor stride');
    if (size.length !== strides.length) fail('a tensor has as many sizes as strides');
    return { kind: 'tensor', storage: storage as StorageRef, offset, shape: size, stride: strides };
  }
  fail('REDUCE of something other than OrderedDict or _rebuild_tensor_v2');
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): number {
    if (this.pos + n > this.bytes.length) fail('the pickle ends early');
    const at = this.pos;
    this.pos += n;
    return at;
  }
  u8 = (): number => this.view.getUint8(this.need(1));
  u16 = (): number => this.view.getUint16(this.need(2), true);
  u32 = (): number => this.view.getUint32(this.need(4), true);
  i32 = (): number => this.view.getInt32(this.need(4), true);
  f64 = (): number => this.view.getFloat64(this.need(8), false);
  utf8 = (n: number): string =>
    new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.need(n), this.pos));
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) fail('the pickle ends inside a GLOBAL');
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
}

export function unpickle(bytes: Uint8Array): PickleValue {
  const r = new Reader(bytes);
  const stack: (PickleValue | Mark)[] = [];
  const memo = new Map<number, PickleValue>();
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (isMark(v)) fail('the pickle stack underflows');
    return v;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('no MARK on the pickle stack');
    return stack
      .splice(at)
      .slice(1)
      .map((v) => {
        if (isMark(v)) fail('a MARK inside a marked group');
        return v;
      });
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (isMark(v)) fail('the pickle stack is empty');
    return v;
  };
  const dictAt = (value: PickleValue | Mark | undefined): Map<PickleValue, PickleValue> => {
    if (!(value instanceof Map)) fail('SETITEM on something that is not a dict');
    return value;
  };
  const put = (key: number): void => void memo.set(key, top());
  const get = (key: number): void => {
    const v = memo.get(key);
    if (v === undefined) fail(`memo entry ${key} is missing`);
    stack.push(v);
  };

  for (;;) {
    const op = r.u8();
    switch (op) {
      case 0x80: // PROTO
        if (r.u8() > 2) fail('pickle protocol above 2 is not supported');
        break;
      case 0x2e: // STOP
        return pop();
      case 0x63: {
        // GLOBAL "module\nname\n"
        const name = `${r.line()}.${r.line()}`;
        const known = GLOBALS.find((g) => g === name);
        if (!known) {
          const storage = OTHER_STORAGES.exec(name);
          if (storage) fail(`tensors of type ${storage[1]} are not supported (only float32)`);
          fail(`it refers to ${name}, which a plain state dict never needs (refusing to load it)`);
        }
        stack.push({ kind: 'global', name: known });
        break;
      }
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(r.utf8(r.u32()));
        break;
      case 0x4b: // BININT1
        stack.push(r.u8());
        break;
      case 0x4d: // BININT2
        stack.push(r.u16());
        break;
      case 0x4a: // BININT
        stack.push(r.i32());
        break;
      case 0x47: // BINFLOAT
        stack.push(r.f64());
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x71: // BINPUT
        put(r.u8());
        break;
      case 0x72: // LONG_BINPUT
        put(r.u32());
        break;
      case 0x68: // BINGET
        get(r.u8());
        break;
      case 0x6a: // LONG_BINGET
        get(r.u32());
        break;
      case 0x51: // BINPERSID
        stack.push(persistentLoad(pop()));
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(reduce(pop(), args));
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        dictAt(stack[stack.length - 1]).set(key, value);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
        const dict = dictAt(stack[stack.length - 1]);
        for (let i = 0; i < items.length; i += 2) dict.set(items[i] ?? null, items[i + 1] ?? null);
        break;
      }
      case 0x62: {
        // BUILD: torch sets OrderedDict._metadata (per-module versions); the weights do not need it.
        pop();
        if (!(top() instanceof Map)) fail('BUILD on something other than an OrderedDict');
        break;
      }
      default:
        fail(`pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${r.pos - 1} is not supported`);
    }
  }
}
