/**
 * A disassembler of the modules the kernels emit (wasm-bytes.ts' buildModule with the
 * instructions of ops.ts) into the WebAssembly text format, so that a reviewer reads a listing
 * instead of byte arrays: the golden listings beside the kernels (*.wat) are its output, and a
 * test checks the emitters still produce exactly them. It reads only what those modules use
 * (one imported memory, one type per function, exports of functions) and throws on anything
 * else, so an emitter that starts using a new instruction fails the test rather than printing
 * something wrong.
 */

/**
 * Names of the parameters, then the locals, per exported function, printed as `$name` instead
 * of an index (the first ones; the rest keep their index).
 */
export type LocalNames = Readonly<Record<string, readonly string[]>>;

const VALUE_TYPES: Record<number, string> = { 127: 'i32', 126: 'i64', 125: 'f32', 124: 'f64', 123: 'v128' };

type Immediate = 'none' | 'local' | 'i32' | 'f32' | 'f64' | 'block' | 'depth' | 'memarg' | 'lane' | 'v128';

/** One-byte opcodes: name and immediate. */
const OPS: Record<number, [string, Immediate]> = {
  2: ['block', 'block'],
  3: ['loop', 'block'],
  4: ['if', 'block'],
  5: ['else', 'none'],
  11: ['end', 'none'],
  12: ['br', 'depth'],
  13: ['br_if', 'depth'],
  27: ['select', 'none'],
  32: ['local.get', 'local'],
  33: ['local.set', 'local'],
  34: ['local.tee', 'local'],
  40: ['i32.load', 'memarg'],
  42: ['f32.load', 'memarg'],
  43: ['f64.load', 'memarg'],
  45: ['i32.load8_u', 'memarg'],
  54: ['i32.store', 'memarg'],
  56: ['f32.store', 'memarg'],
  57: ['f64.store', 'memarg'],
  58: ['i32.store8', 'memarg'],
  65: ['i32.const', 'i32'],
  67: ['f32.const', 'f32'],
  68: ['f64.const', 'f64'],
  69: ['i32.eqz', 'none'],
  70: ['i32.eq', 'none'],
  71: ['i32.ne', 'none'],
  73: ['i32.lt_u', 'none'],
  79: ['i32.ge_u', 'none'],
  91: ['f32.eq', 'none'],
  93: ['f32.lt', 'none'],
  94: ['f32.gt', 'none'],
  104: ['i32.ctz', 'none'],
  106: ['i32.add', 'none'],
  107: ['i32.sub', 'none'],
  108: ['i32.mul', 'none'],
  113: ['i32.and', 'none'],
  114: ['i32.or', 'none'],
  116: ['i32.shl', 'none'],
  145: ['f32.sqrt', 'none'],
  146: ['f32.add', 'none'],
  147: ['f32.sub', 'none'],
  148: ['f32.mul', 'none'],
  150: ['f32.min', 'none'],
  151: ['f32.max', 'none'],
  160: ['f64.add', 'none'],
  187: ['f64.promote_f32', 'none'],
};

/** SIMD opcodes (after the 0xfd prefix). */
const SIMD_OPS: Record<number, [string, Immediate]> = {
  0: ['v128.load', 'memarg'],
  11: ['v128.store', 'memarg'],
  12: ['v128.const', 'v128'],
  19: ['f32x4.splat', 'none'],
  27: ['i32x4.extract_lane', 'lane'],
  31: ['f32x4.extract_lane', 'lane'],
  69: ['f32x4.le', 'none'],
  78: ['v128.and', 'none'],
  80: ['v128.or', 'none'],
  83: ['v128.any_true', 'none'],
  93: ['v128.load64_zero', 'memarg'],
  95: ['f64x2.promote_low_f32x4', 'none'],
  164: ['i32x4.bitmask', 'none'],
  174: ['i32x4.add', 'none'],
  186: ['i32x4.dot_i16x8_s', 'none'],
  227: ['f32x4.sqrt', 'none'],
  228: ['f32x4.add', 'none'],
  229: ['f32x4.sub', 'none'],
  230: ['f32x4.mul', 'none'],
  233: ['f32x4.max', 'none'],
  240: ['f64x2.add', 'none'],
  241: ['f64x2.sub', 'none'],
};

/** The natural alignment (log2 bytes) of each memory instruction, left out of the text as usual. */
const NATURAL_ALIGN: Record<string, number> = {
  'i32.load8_u': 0,
  'i32.store8': 0,
  'f64.load': 3,
  'f64.store': 3,
  'v128.load64_zero': 3,
  'v128.load': 4,
  'v128.store': 4,
};

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  get done(): boolean {
    return this.at >= this.bytes.length;
  }
  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('to-wat: the module ends early');
    return this.bytes[this.at++]!;
  }
  uleb(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }
  sleb(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? result | (-1 << shift) : result;
  }
  take(n: number): Uint8Array {
    const out = this.bytes.subarray(this.at, this.at + n);
    if (out.length < n) throw new Error('to-wat: the module ends early');
    this.at += n;
    return out;
  }
  name(): string {
    return new TextDecoder().decode(this.take(this.uleb()));
  }
  valueType(): string {
    const t = this.byte();
    const name = VALUE_TYPES[t];
    if (!name) throw new Error(`to-wat: unknown value type 0x${t.toString(16)}`);
    return name;
  }
  vector<T>(item: () => T): T[] {
    return Array.from({ length: this.uleb() }, item);
  }
}

/** A float as the text format writes it exactly: `inf`, or its shortest decimal. */
function floatText(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  if (Number.isNaN(value)) return 'nan';
  return Object.is(value, -0) ? '-0' : String(value);
}

function immediateText(r: Reader, kind: Immediate, name: string, locals: readonly string[]): string {
  switch (kind) {
    case 'none':
      return '';
    case 'local': {
      const i = r.uleb();
      return ` ${locals[i] ?? i}`;
    }
    case 'i32':
      return ` ${r.sleb()}`;
    case 'f32':
      return ` ${floatText(new DataView(r.take(4).slice().buffer).getFloat32(0, true))}`;
    case 'f64':
      return ` ${floatText(new DataView(r.take(8).slice().buffer).getFloat64(0, true))}`;
    case 'block': {
      const type = r.byte();
      if (type !== 0x40) throw new Error('to-wat: only blocks without a result are read');
      return '';
    }
    case 'depth':
      return ` ${r.uleb()}`;
    case 'memarg': {
      const align = r.uleb();
      const offset = r.uleb();
      const natural = NATURAL_ALIGN[name] ?? 2;
      return `${offset ? ` offset=${offset}` : ''}${align === natural ? '' : ` align=${2 ** align}`}`;
    }
    case 'lane':
      return ` ${r.byte()}`;
    case 'v128':
      return ` i32x4 ${[...new Uint32Array(r.take(16).slice().buffer)].map((w) => `0x${w.toString(16).padStart(8, '0')}`).join(' ')}`;
  }
}

/** One function body as indented instructions (blocks indent their contents). */
function bodyText(r: Reader, end: number, locals: readonly string[]): string[] {
  const lines: string[] = [];
  let depth = 0;
  while (r.at < end) {
    const code = r.byte();
    const entry = code === 0xfd ? SIMD_OPS[r.uleb()] : OPS[code];
    if (!entry) throw new Error(`to-wat: unknown opcode 0x${code.toString(16)} at byte ${r.at - 1}`);
    const [name, kind] = entry;
    const text = `${name}${immediateText(r, kind, name, locals)}`;
    if (name === 'end' || name === 'else') depth--;
    if (depth >= 0) lines.push(`${'  '.repeat(depth + 2)}${text}`);
    if (name === 'block' || name === 'loop' || name === 'if' || name === 'else') depth++;
  }
  if (depth !== -1) throw new Error('to-wat: a function body does not end where its size says');
  return lines;
}

/**
 * The module as WebAssembly text: its imported memory, then each function with its type,
 * locals and instructions, parameters and locals named after `names[exportName]` where given;
 * `comment` lines open the listing.
 */
export function toWat(bytes: Uint8Array, names: LocalNames = {}, comment: readonly string[] = []): string {
  const r = new Reader(bytes);
  const header = [...r.take(8)].join(',');
  if (header !== '0,97,115,109,1,0,0,0') throw new Error('to-wat: not a WebAssembly 1.0 module');
  let types: { params: string[]; results: string[] }[] = [];
  let memory = '';
  let funcTypes: number[] = [];
  let exports: string[] = [];
  const functions: string[][] = [];
  while (!r.done) {
    const id = r.byte();
    const end = r.uleb() + r.at;
    if (id === 1) {
      types = r.vector(() => {
        if (r.byte() !== 0x60) throw new Error('to-wat: only function types are read');
        return { params: r.vector(() => r.valueType()), results: r.vector(() => r.valueType()) };
      });
    } else if (id === 2) {
      const [mem] = r.vector(() => {
        const where = `"${r.name()}" "${r.name()}"`;
        if (r.byte() !== 0x02) throw new Error('to-wat: only an imported memory is read');
        const flags = r.byte();
        const min = r.uleb();
        const max = flags & 1 ? ` ${r.uleb()}` : '';
        return `(import ${where} (memory ${min}${max}${flags & 2 ? ' shared' : ''}))`;
      });
      memory = mem ?? '';
    } else if (id === 3) funcTypes = r.vector(() => r.uleb());
    else if (id === 7) {
      exports = r.vector(() => {
        const name = r.name();
        if (r.byte() !== 0x00) throw new Error('to-wat: only exported functions are read');
        r.uleb();
        return name;
      });
    } else if (id === 10) {
      const count = r.uleb();
      for (let f = 0; f < count; f++) {
        const size = r.uleb();
        const bodyEnd = r.at + size;
        const type = types[funcTypes[f]!]!;
        const exportName = exports[f] ?? `f${f}`;
        const given = names[exportName] ?? [];
        const named = (i: number, t: string, kind: string) =>
          given[i] ? `(${kind} $${given[i]} ${t})` : `(${kind} ${t}) ;; ${i}`;
        const params = type.params.map((t, i) => named(i, t, 'param'));
        const localTypes = r
          .vector(() => ({ n: r.uleb(), type: r.valueType() }))
          .flatMap(({ n, type: t }) => new Array<string>(n).fill(t));
        const locals = localTypes.map((t, i) => named(type.params.length + i, t, 'local'));
        functions.push([
          `  (func $${exportName} (export "${exportName}")`,
          ...params.map((p) => `    ${p}`),
          ...(type.results.length > 0 ? [`    (result ${type.results.join(' ')})`] : []),
          ...locals.map((l) => `    ${l}`),
          ...bodyText(
            r,
            bodyEnd,
            given.map((n) => `$${n}`),
          ),
          '  )',
        ]);
      }
    } else throw new Error(`to-wat: unknown section ${id}`);
    if (r.at !== end) throw new Error(`to-wat: section ${id} does not end where its size says`);
  }
  return [...comment.map((c) => `;; ${c}`), '(module', `  ${memory}`, ...functions.flat(), ')', ''].join(
    '\n',
  );
}
