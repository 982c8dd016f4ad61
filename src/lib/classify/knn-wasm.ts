/**
 * A WebAssembly SIMD kernel for kNN: one query's dot products with every training row,
 * four rows per pass over the query (four f32x4 accumulators, one query load serves four
 * rows). Assembled at run time with the project's own emitter (src/lib/analysis/wasm), so no
 * .wasm file ships. Similarities are float32 sums (lane-wise, then across lanes), within
 * about 1e-6 of float64 ones; the JS kernel in knn.ts is the fallback where SIMD is missing.
 */
import { steppedLoop } from '../analysis/wasm/emit.ts';
import { op } from '../analysis/wasm/ops.ts';
import { buildModule, I32, V128 } from '../analysis/wasm/wasm-bytes.ts';

// Parameters and locals of `dots`.
const Q = 0; // f32 query, DIM_BYTES long
const L = 1; // f32 rows, ROWS x DIM_BYTES (ROWS a multiple of 4)
const ROWS = 2;
const DIM_BYTES = 3; // a multiple of 16
const OUT = 4; // f32 per row (out)
const J = 5;
const D = 6;
const R1 = 7; // addresses of rows j+1..j+3
const R2 = 8;
const R3 = 9;
const QV = 10;
const A0 = 11;

function hsum(acc: number): number[] {
  return [
    ...op.get(acc),
    ...op.f32x4Extract(0),
    ...op.get(acc),
    ...op.f32x4Extract(1),
    ...op.f32Add,
    ...op.get(acc),
    ...op.f32x4Extract(2),
    ...op.get(acc),
    ...op.f32x4Extract(3),
    ...op.f32Add,
    ...op.f32Add,
  ];
}

function body(): number[] {
  const load = (row: number[]) => [...row, ...op.get(D), ...op.i32Add, ...op.v128Load];
  const mac = (a: number, row: number[]) => [
    ...op.get(a),
    ...op.get(QV),
    ...load(row),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(a),
  ];
  const perRow = [
    // Four rows from L: R1..R3 follow it.
    ...op.get(L),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.tee(R1),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.tee(R2),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.set(R3),
    ...[A0, A0 + 1, A0 + 2, A0 + 3].flatMap((a) => [...op.v128Zero, ...op.set(a)]),
    ...steppedLoop(D, 16, op.get(DIM_BYTES), [
      ...op.get(Q),
      ...op.get(D),
      ...op.i32Add,
      ...op.v128Load,
      ...op.set(QV),
      ...mac(A0, op.get(L)),
      ...mac(A0 + 1, op.get(R1)),
      ...mac(A0 + 2, op.get(R2)),
      ...mac(A0 + 3, op.get(R3)),
    ]),
    ...[0, 1, 2, 3].flatMap((i) => [...op.get(OUT), ...hsum(A0 + i), ...op.f32StoreAt(4 * i)]),
    ...op.get(OUT),
    ...op.i32(16),
    ...op.i32Add,
    ...op.set(OUT),
    ...op.get(R3),
    ...op.get(DIM_BYTES),
    ...op.i32Add,
    ...op.set(L),
  ];
  return steppedLoop(J, 4, op.get(ROWS), perRow);
}

export function knnKernelBytes(memory: {
  initialPages: number;
  maximumPages: number;
}): Uint8Array<ArrayBuffer> {
  return buildModule(
    [
      {
        exportName: 'dots',
        params: [I32, I32, I32, I32, I32],
        results: [],
        locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128],
        body: body(),
      },
    ],
    { ...memory, shared: false },
  );
}

const PAGE = 65536;
/** Queries per batch: their dot products with one chunk of rows are taken while it is in cache. */
export const QUERY_BATCH = 32;
/** Rows per chunk: 256 rows of 128 floats are 128 KiB, well inside a core's L2 cache. */
const ROW_CHUNK = 256;

/** Training rows in wasm memory, padded to whole f32x4s and to a multiple of four rows. */
export interface WasmRows {
  /**
   * Similarities of `count` (<= QUERY_BATCH) unit queries (count x dim floats) to every row:
   * query i's are at out[i * rows ..]. The returned view is overwritten by the next call.
   */
  dots(queries: Float32Array, count: number): Float32Array;
  /** Row stride of the returned similarities (rows padded to a multiple of four). */
  stride: number;
}

let simd: boolean | undefined;

/** Whether this engine runs the kernel (WebAssembly with SIMD). */
export function wasmKnnAvailable(): boolean {
  if (simd === undefined) {
    try {
      simd =
        typeof WebAssembly === 'object' &&
        WebAssembly.validate(knnKernelBytes({ initialPages: 1, maximumPages: 1 }));
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** Copies unit rows (n x dim) into a fresh wasm memory with the kernel bound to it. */
export function wasmRows(rows: Float32Array, n: number, dim: number, rowChunk = ROW_CHUNK): WasmRows {
  const dimPad = Math.ceil(dim / 4) * 4;
  const rowsPad = Math.ceil(n / 4) * 4;
  const dimBytes = dimPad * 4;
  const queriesAt = 0;
  const rowsAt = QUERY_BATCH * dimBytes;
  const outAt = rowsAt + rowsPad * dimBytes;
  const pages = Math.ceil((outAt + QUERY_BATCH * rowsPad * 4) / PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const module = new WebAssembly.Module(knnKernelBytes({ initialPages: pages, maximumPages: pages }));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const f32 = new Float32Array(memory.buffer);
  for (let i = 0; i < n; i++) f32.set(rows.subarray(i * dim, (i + 1) * dim), (rowsAt + i * dimBytes) / 4);
  const kernel = instance.exports.dots as (
    q: number,
    l: number,
    rows: number,
    dimBytes: number,
    out: number,
  ) => void;
  const out = f32.subarray(outAt / 4, outAt / 4 + QUERY_BATCH * rowsPad);
  return {
    stride: rowsPad,
    dots(queries, count) {
      for (let i = 0; i < count; i++) {
        f32.set(queries.subarray(i * dim, (i + 1) * dim), (queriesAt + i * dimBytes) / 4);
      }
      // Chunks of rows outside, queries inside: each chunk is read from memory once per batch.
      for (let chunk = 0; chunk < rowsPad; chunk += rowChunk) {
        const len = Math.min(rowChunk, rowsPad - chunk);
        for (let i = 0; i < count; i++) {
          kernel(
            queriesAt + i * dimBytes,
            rowsAt + chunk * dimBytes,
            len,
            dimBytes,
            outAt + (i * rowsPad + chunk) * 4,
          );
        }
      }
      return out;
    },
  };
}
