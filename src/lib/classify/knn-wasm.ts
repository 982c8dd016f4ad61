/**
 * A WebAssembly SIMD kernel for kNN's candidate search: one query's dot products with every
 * training row in 16-bit fixed point. `i32x4.dot_i16x8_s` does 8 multiply-adds per
 * instruction where float32 SIMD without FMA needs two instructions for 4, and the rows take
 * half the bytes, so the scan over 10,000 labels runs about 3x the float32 kernel's speed.
 * The values are approximate (error bound `dotErrorBound`); knn.ts rescores the few
 * candidates that could be among the k best exactly, so results equal the plain kernel's.
 * Assembled at run time with the project's own emitter (src/lib/analysis/wasm): no .wasm ships.
 */
import { buildModule, I32, op, steppedLoop, V128 } from '../analysis/index.ts';

/**
 * Unit vectors' components are stored as round(x * FIXED_SCALE). A dot product of two such
 * vectors is at most ~FIXED_SCALE^2 (Cauchy-Schwarz) = 1.07e9, inside i32, and so is every
 * partial sum in a lane (each is bounded by sum |x_i y_i| <= 1 too).
 */
export const FIXED_SCALE = 32767;

// Parameters and locals of `dots`, which takes two queries at a time.
const Q = 0; // two i16 queries, one after the other, DIM_BYTES each
const L = 1; // i16 rows, ROWS x DIM_BYTES (ROWS a multiple of 4)
const ROWS = 2;
const OUT = 3; // i32 per row for the first query (out)
const OUT_STRIDE = 4; // bytes from the first query's dots to the second's
const J = 5;
const QA = 6; // the two queries' current v128
const QB = 7;
const ACC = 8; // 8 v128 accumulators: query a x rows 0..3, then query b x rows 0..3

function hsum(acc: number): number[] {
  return [
    ...op.get(acc),
    ...op.i32x4Extract(0),
    ...op.get(acc),
    ...op.i32x4Extract(1),
    ...op.i32Add,
    ...op.get(acc),
    ...op.i32x4Extract(2),
    ...op.get(acc),
    ...op.i32x4Extract(3),
    ...op.i32Add,
    ...op.i32Add,
  ];
}

/**
 * Specialised for one row length: the pass over a row is unrolled with constant offsets, so
 * the loop body is loads and dots only. Each row v128 serves both queries (six loads for eight
 * dots), and the 11 live v128 values fit x86's 16 SIMD registers without spilling.
 */
function body(dimBytes: number): number[] {
  const step = (o: number) => [
    ...op.get(Q),
    ...op.v128LoadAt(o),
    ...op.set(QA),
    ...op.get(Q),
    ...op.v128LoadAt(dimBytes + o),
    ...op.set(QB),
    ...[0, 1, 2, 3].flatMap((t) => [
      // Row t's v128 is loaded once and serves both queries: acc_a += dot(row, qa), acc_b += dot(row, qb).
      ...op.get(L),
      ...op.v128LoadAt(t * dimBytes + o),
      ...op.tee(ROW),
      ...op.get(QA),
      ...op.i32x4DotI16x8S,
      ...op.get(ACC + t),
      ...op.i32x4Add,
      ...op.set(ACC + t),
      ...op.get(ROW),
      ...op.get(QB),
      ...op.i32x4DotI16x8S,
      ...op.get(ACC + 4 + t),
      ...op.i32x4Add,
      ...op.set(ACC + 4 + t),
    ]),
  ];
  const perQuad = [
    ...Array.from({ length: 8 }, (_, a) => [...op.v128Zero, ...op.set(ACC + a)]).flat(),
    ...Array.from({ length: dimBytes / 16 }, (_, s) => step(s * 16)).flat(),
    ...[0, 1, 2, 3].flatMap((t) => [...op.get(OUT), ...hsum(ACC + t), ...op.i32StoreAt(4 * t)]),
    ...[0, 1, 2, 3].flatMap((t) => [
      ...op.get(OUT),
      ...op.get(OUT_STRIDE),
      ...op.i32Add,
      ...hsum(ACC + 4 + t),
      ...op.i32StoreAt(4 * t),
    ]),
    ...op.get(OUT),
    ...op.i32(16),
    ...op.i32Add,
    ...op.set(OUT),
    ...op.get(L),
    ...op.i32(4 * dimBytes),
    ...op.i32Add,
    ...op.set(L),
  ];
  return steppedLoop(J, 4, op.get(ROWS), perQuad);
}
const ROW = ACC + 8;

export function knnKernelBytes(
  memory: { initialPages: number; maximumPages: number },
  dimBytes = 16,
): Uint8Array<ArrayBuffer> {
  return buildModule(
    [
      {
        exportName: 'dots',
        params: [I32, I32, I32, I32, I32],
        results: [],
        locals: [I32, V128, V128, ...new Array<number>(8).fill(V128), V128],
        body: body(dimBytes),
      },
    ],
    { ...memory, shared: false },
  );
}

const PAGE = 65536;
/** Queries per batch (even: the kernel takes pairs); their dots with a chunk of rows are taken while it is in cache. */
export const QUERY_BATCH = 32;
/** Rows per chunk: 512 rows of 128 int16 are 128 KiB, well inside a core's L2 cache. */
const ROW_CHUNK = 512;

/** round(x * FIXED_SCALE), clamped so that -32768 (whose square overflows a pair sum) never occurs. */
export function toFixed(x: number): number {
  const v = Math.round(x * FIXED_SCALE);
  return v > FIXED_SCALE ? FIXED_SCALE : v < -FIXED_SCALE ? -FIXED_SCALE : v;
}

/**
 * Largest |fixed-point dot - FIXED_SCALE^2 * exact dot| for a query of L1 norm `queryL1` and
 * rows of L1 norm at most `rowL1`: each component is off by at most 1/2, so each product by
 * at most (S|q_i| + S|r_i|) / 2 + 1/4. (Rows are rounded from float32; the exact dot the
 * rescoring uses is of those same float32 rows.)
 */
export function dotErrorBound(queryL1: number, rowL1: number, dim: number): number {
  return (FIXED_SCALE * (queryL1 + rowL1)) / 2 + dim / 4 + 1;
}

/** Training rows in wasm memory as int16, padded to whole v128s and to a multiple of four rows. */
export interface WasmRows {
  /**
   * Fixed-point dots of `count` (<= QUERY_BATCH) int16 queries (count x dimPad values, see
   * `dimPad`) with every row: query i's at out[i * stride ..]. The view is overwritten by the next call.
   */
  dots(queries: Int16Array, count: number): Int32Array;
  /** Row stride of the returned dots (rows padded to a multiple of four). */
  stride: number;
  /** Query stride in int16 values (dim padded to a multiple of 8). */
  dimPad: number;
  /** Largest L1 norm of a row (for dotErrorBound). */
  rowL1: number;
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

/** Copies unit rows (n x dim) as int16 into a fresh wasm memory with the kernel bound to it. */
export function wasmRows(rows: Float32Array, n: number, dim: number, rowChunk = ROW_CHUNK): WasmRows {
  const dimPad = Math.ceil(dim / 8) * 8;
  const rowsPad = Math.ceil(n / 4) * 4;
  const dimBytes = dimPad * 2;
  const queriesAt = 0;
  const rowsAt = QUERY_BATCH * dimBytes;
  const outAt = rowsAt + rowsPad * dimBytes;
  const pages = Math.ceil((outAt + QUERY_BATCH * rowsPad * 4) / PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const module = new WebAssembly.Module(
    knnKernelBytes({ initialPages: pages, maximumPages: pages }, dimBytes),
  );
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const i16 = new Int16Array(memory.buffer);
  let rowL1 = 0;
  for (let i = 0; i < n; i++) {
    let l1 = 0;
    const at = (rowsAt + i * dimBytes) / 2;
    for (let d = 0; d < dim; d++) {
      const x = rows[i * dim + d]!;
      i16[at + d] = toFixed(x);
      l1 += Math.abs(x);
    }
    if (l1 > rowL1) rowL1 = l1;
  }
  const kernel = instance.exports.dots as (
    q: number,
    l: number,
    rows: number,
    out: number,
    outStride: number,
  ) => void;
  const out = new Int32Array(memory.buffer, outAt, QUERY_BATCH * rowsPad);
  return {
    stride: rowsPad,
    dimPad,
    rowL1,
    dots(queries, count) {
      i16.set(queries.subarray(0, count * dimPad), queriesAt / 2);
      // The kernel takes queries in pairs: an odd count's partner is a zero query, ignored.
      if (count % 2 === 1)
        i16.fill(0, (queriesAt + count * dimBytes) / 2, (queriesAt + (count + 1) * dimBytes) / 2);
      // Chunks of rows outside, queries inside: each chunk is read from memory once per batch.
      for (let chunk = 0; chunk < rowsPad; chunk += rowChunk) {
        const len = Math.min(rowChunk, rowsPad - chunk);
        for (let i = 0; i < count; i += 2) {
          kernel(
            queriesAt + i * dimBytes,
            rowsAt + chunk * dimBytes,
            len,
            outAt + (i * rowsPad + chunk) * 4,
            rowsPad * 4,
          );
        }
      }
      return out;
    },
  };
}
