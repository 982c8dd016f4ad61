import {
  GALILEO_CHANNEL_COUNT as C,
  GALILEO_DIM as D,
  GALILEO_GROUPS,
  GALILEO_MAX_TIMESTEPS,
  GALILEO_NATIVE_PATCH,
  GALILEO_NORMALISATION,
} from '../../src/lib/encoder/index.ts';
import { attr, type GraphBuilder } from '../../src/lib/onnx/index.ts';
import { galileoParam } from './galileo-blocks.ts';
import { resizePatchKernels } from './galileo-patch-resize.ts';
import type { CheckpointTensor } from './torch-checkpoint.ts';
import type { WeightStore } from './weight-store.ts';

const G = GALILEO_GROUPS.length;
const BLOCK = 32;
/** Largest token grid side a patch graph's spatial table covers (16 x 8 = 128 px at p = 8). */
export const GALILEO_MAX_GRID = 16;

/**
 * The 128 encoding dims of a space-time token are four 32-wide blocks: channel [0, 32),
 * time-step index [32, 64), month [64, 96), spatial [96, 128). Each is a table here whose
 * other columns are zero, so adding the tables reproduces upstream's concatenation exactly.
 */
function padded(source: Float32Array, rows: number, at: number): Float32Array {
  const out = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) out.set(source.subarray(r * BLOCK, (r + 1) * BLOCK), r * D + at);
  return out;
}

/**
 * Upstream's 2-D sin/cos position of token (row i, column j) at ground-sample ratio `gsd`:
 * dims 96..111 are 8 sin then 8 cos of j * gsd * 10000^(-k/32), dims 112..127 the same of i.
 * Computed in float64 here, so no execution provider's sin/cos precision enters.
 */
export function spatialEncoding(i: number, j: number, gsd: number): Float32Array {
  const out = new Float32Array(BLOCK);
  for (const [half, pos] of [
    [0, j],
    [1, i],
  ] as const) {
    for (let k = 0; k < 8; k++) {
      const angle = pos * gsd * 10000 ** (-k / 32);
      out[half * 16 + k] = Math.sin(angle);
      out[half * 16 + 8 + k] = Math.cos(angle);
    }
  }
  return out;
}

/** [13, groups] indicator: mask @ it counts each group's missing channels. */
function membership(): number[] {
  const out = new Array<number>(C * G).fill(0);
  for (const [j, g] of GALILEO_GROUPS.entries()) for (const c of g.channels) out[c * G + j] = 1;
  return out;
}

/** Emits the token embedding of Galileo's space-time branch for one patch size. */
export class GalileoTokens {
  constructor(
    private readonly b: GraphBuilder,
    private readonly store: WeightStore,
    private readonly weights: ReadonlyMap<string, CheckpointTensor>,
    readonly patch: number,
  ) {}

  private p(name: string, shape: readonly number[]): Float32Array {
    return galileoParam(this.weights, name, shape);
  }

  unsqueeze(v: string, axes: number[]): string {
    return this.b.op('Unsqueeze', [v, this.b.int64s('axes', axes)]);
  }

  /** (x - shift) / divide per channel, then 0 where masked (Where: NaN under the mask cannot leak). */
  normalise(x: string, mask: string): string {
    const b = this.b;
    const shifted = b.op('Sub', [
      x,
      b.floats(
        'norm_shift',
        GALILEO_NORMALISATION.map((n) => n.shift),
      ),
    ]);
    const normalised = b.op('Div', [
      shifted,
      b.floats(
        'norm_divide',
        GALILEO_NORMALISATION.map((n) => n.divide),
      ),
    ]);
    const missing = b.op('Greater', [mask, b.floats('zero', [0], [])]);
    return b.op('Where', [missing, b.floats('zero_value', [0], []), normalised]);
  }

  /**
   * [p*p*13, 7*128]: every group's (resized) patch kernel as one matrix. Row (a*p + b)*13 + c
   * is pixel (a, b) of the patch, channel c; columns g*128.. are group g's output.
   */
  projection(): Float32Array {
    const p = this.patch;
    const n = GALILEO_NATIVE_PATCH;
    const out = new Float32Array(p * p * C * G * D);
    for (const [g, group] of GALILEO_GROUPS.entries()) {
      const cg = group.channels.length;
      const native = this.p(`space_time_embed.${group.name}.proj.weight`, [D, cg, n, n]);
      const kernels = resizePatchKernels(native, D * cg, n, p);
      for (let o = 0; o < D; o++) {
        for (const [k, channel] of group.channels.entries()) {
          for (let pix = 0; pix < p * p; pix++) {
            out[(pix * C + channel) * G * D + g * D + o] = kernels[(o * cg + k) * p * p + pix] ?? 0;
          }
        }
      }
    }
    return out;
  }

  /** [7, 128]: each group's channel embedding (dims 0..32) plus its patch-embedding bias. */
  channelTable(spatialAtOrigin: boolean): Float32Array {
    const table = padded(this.p('s_t_channel_embed', [G, BLOCK]), G, 0);
    const origin = spatialEncoding(0, 0, this.patch);
    for (const [g, group] of GALILEO_GROUPS.entries()) {
      const bias = this.p(`space_time_embed.${group.name}.proj.bias`, [D]);
      for (let d = 0; d < D; d++) table[g * D + d] = (table[g * D + d] ?? 0) + (bias[d] ?? 0);
      if (spatialAtOrigin) {
        for (let d = 0; d < BLOCK; d++)
          table[g * D + 96 + d] = (table[g * D + 96 + d] ?? 0) + (origin[d] ?? 0);
      }
    }
    return table;
  }

  /** [N, T, 128]: time-step index (checkpoint pos_embed) plus calendar month encodings. */
  dateEncodings(month: string): string {
    const b = this.b;
    const posTable = padded(
      this.p('pos_embed', [GALILEO_MAX_TIMESTEPS, BLOCK]),
      GALILEO_MAX_TIMESTEPS,
      BLOCK,
    );
    const monthTable = padded(this.p('month_embed.weight', [12, BLOCK]), 12, 2 * BLOCK);
    const steps = b.op('Shape', [month], { start: attr.int(1), end: attr.int(2) });
    const start = b.int64s('start', [0]);
    const pos = b.op('Slice', [
      this.store.tensor('pos_embed', posTable, [GALILEO_MAX_TIMESTEPS, D]),
      start,
      steps,
      start,
    ]);
    const monthOf = b.op('Gather', [this.store.tensor('month_embed', monthTable, [12, D]), month]);
    return b.op('Add', [monthOf, pos]);
  }

  /** [G, G, 128] spatial encodings of a token grid up to GALILEO_MAX_GRID a side. */
  spatialTable(): string {
    const m = GALILEO_MAX_GRID;
    const table = new Float32Array(m * m * D);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) table.set(spatialEncoding(i, j, this.patch), (i * m + j) * D + 96);
    }
    return this.store.tensor('spatial_embed', table, [m, m, D]);
  }

  /** 1 where a group has any missing channel: [.., 13] mask -> [.., 7] float32. */
  groupDropped(mask: string): string {
    const counts = this.b.op('MatMul', [mask, this.b.floats('group_members', membership(), [C, G])]);
    return this.b.op('Cast', [this.b.op('Greater', [counts, this.b.floats('zero', [0], [])])], {
      to: attr.int(1),
    });
  }
}
