import {
  PRESTO_CHANNEL_COUNT as C,
  PRESTO_DIM as D,
  DYNAMIC_WORLD_GROUP,
  DYNAMIC_WORLD_MISSING,
  PRESTO_GROUPS,
  PRESTO_MAX_TIMESTEPS,
  PRESTO_NORMALISATION,
  type PrestoGroup,
  SRTM_GROUP,
} from '../../src/lib/encoder/index.ts';
import { attr, type GraphBuilder } from '../../src/lib/onnx/index.ts';
import { linearToMatMul, param } from './presto-blocks.ts';
import { sinCos } from './sin-cos.ts';
import type { CheckpointTensor } from './torch-checkpoint.ts';
import type { WeightStore } from './weight-store.ts';

const MONTH_DIM = 32;
const CHANNEL_DIM = 32;
const POS_DIM = 64;
/** Groups with a token per time step (all but SRTM), in token order, with their group index. */
const TIMED = PRESTO_GROUPS.map((g, index) => ({ ...g, index })).filter((g) => g.index !== SRTM_GROUP);

/** A [rows, 128] table whose row r holds `source` row r in columns [at, at + width). */
function padded(source: Float32Array, rows: number, width: number, at: number): Float32Array {
  const out = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) out.set(source.subarray(r * width, (r + 1) * width), r * D + at);
  return out;
}

/** [17, 1]-per-group indicator: mask @ it counts each group's missing channels. */
function membership(groups: readonly PrestoGroup[]): number[] {
  const out = new Array<number>(C * groups.length).fill(0);
  for (const [j, g] of groups.entries()) for (const c of g.channels) out[c * groups.length + j] = 1;
  return out;
}

/** Token values [.., 128] and their "dropped" flags [..] (1 = excluded from attention and mean). */
export interface TokenSet {
  tokens: string;
  dropped: string;
}

/**
 * The token embeddings of Presto's encoder. Each token gets concat(month (32), channel (32),
 * position (64)) added; here those are three [.., 128] tables with disjoint non-zero columns,
 * so adding them reproduces the concatenation exactly.
 */
export class PrestoTokens {
  private readonly channelEmbed: Float32Array;

  constructor(
    private readonly b: GraphBuilder,
    private readonly store: WeightStore,
    private readonly weights: ReadonlyMap<string, CheckpointTensor>,
  ) {
    this.channelEmbed = this.p('channel_embed.weight', [10, CHANNEL_DIM]);
  }

  private p(name: string, shape: number[]): Float32Array {
    return param(this.weights, `encoder.${name}`, shape);
  }

  unsqueeze(v: string, axes: number[]): string {
    return this.b.op('Unsqueeze', [v, this.b.int64s('axes', axes)]);
  }

  /** 1 where `counts` > 0, else 0, as float32. */
  private anyMissing(counts: string): string {
    const positive = this.b.op('Greater', [counts, this.b.floats('zero', [0], [])]);
    return this.b.op('Cast', [positive], { to: attr.int(1) });
  }

  /** Channel-embedding rows `groups`, each in columns 32..64 of a 128-wide row. */
  private channelRows(groups: readonly number[]): Float32Array {
    const rows = groups.map((g) => this.channelEmbed.subarray(g * CHANNEL_DIM, (g + 1) * CHANNEL_DIM));
    return padded(Float32Array.from(rows.flatMap((r) => [...r])), groups.length, CHANNEL_DIM, MONTH_DIM);
  }

  /** [17, groups*128]: channel c of group j feeds columns j*128.. with that group's weights. */
  private projection(groups: readonly PrestoGroup[]): Float32Array {
    const out = new Float32Array(C * groups.length * D);
    for (const [j, g] of groups.entries()) {
      const w = this.p(`eo_patch_embed.${g.name}.weight`, [D, g.channels.length]);
      for (const [k, channel] of g.channels.entries()) {
        for (let d = 0; d < D; d++)
          out[channel * groups.length * D + j * D + d] = w[d * g.channels.length + k] ?? 0;
      }
    }
    return out;
  }

  /** (x + add) / divide per channel, then 0 where masked (Where: NaN under the mask cannot leak). */
  normalise(x: string, mask: string): string {
    const b = this.b;
    const shifted = b.op('Add', [
      x,
      b.floats(
        'norm_add',
        PRESTO_NORMALISATION.map((n) => n.add),
      ),
    ]);
    const normalised = b.op('Div', [
      shifted,
      b.floats(
        'norm_divide',
        PRESTO_NORMALISATION.map((n) => n.divide),
      ),
    ]);
    const missing = b.op('Greater', [mask, b.floats('zero', [0], [])]);
    return b.op('Where', [missing, b.floats('zero_value', [0], []), normalised]);
  }

  /** [N, 9T, 128]: per time step the 8 timed groups (one MatMul) and the dynamic-world token. */
  timed(xz: string, mask: string, x: string, dw: string, month: string): TokenSet {
    const b = this.b;
    const n = TIMED.length;
    const projected = b.op('MatMul', [
      xz,
      this.store.tensor('group_projection', this.projection(TIMED), [C, n * D]),
    ]);
    const groups = b.op('Reshape', [projected, b.int64s('group_shape', [0, 0, n, D])]);
    const dwTable = this.store.tensor('dw_embed', this.p('dw_embed.weight', [10, D]), [10, D]);
    const tokens = b.op('Concat', [groups, this.unsqueeze(b.op('Gather', [dwTable, dw]), [2])], {
      axis: attr.int(2),
    });

    const monthTable = padded(this.p('month_embed.weight', [12, MONTH_DIM]), 12, MONTH_DIM, 0);
    const posTable = padded(
      this.p('pos_embed', [1, PRESTO_MAX_TIMESTEPS, POS_DIM]),
      PRESTO_MAX_TIMESTEPS,
      POS_DIM,
      MONTH_DIM + CHANNEL_DIM,
    );
    const steps = b.op('Shape', [x], { start: attr.int(1), end: attr.int(2) });
    const start = b.int64s('start', [0]);
    const pos = b.op('Slice', [
      this.store.tensor('pos_embed', posTable, [PRESTO_MAX_TIMESTEPS, D]),
      start,
      steps,
      start,
    ]);
    const monthOf = b.op('Gather', [this.store.tensor('month_embed', monthTable, [12, D]), month]);
    // Each group's projection bias joins its channel-embedding row: one constant [9, 128] Add.
    const rows = [...TIMED.map((g) => g.index), DYNAMIC_WORLD_GROUP];
    const channelTable = this.channelRows(rows);
    for (const [j, g] of TIMED.entries()) {
      const bias = this.p(`eo_patch_embed.${g.name}.bias`, [D]);
      for (let d = 0; d < D; d++) channelTable[j * D + d] = (channelTable[j * D + d] ?? 0) + (bias[d] ?? 0);
    }
    const channels = this.store.tensor('channel_embed', channelTable, [rows.length, D]);
    const embeds = b.op('Add', [this.unsqueeze(b.op('Add', [monthOf, pos]), [2]), channels]);
    const flat = b.op('Reshape', [b.op('Add', [tokens, embeds]), b.int64s('token_shape', [0, -1, D])]);

    // Dropped: any missing channel in the group, or dynamic-world class 9.
    const groupMissing = this.anyMissing(
      b.op('MatMul', [mask, b.floats('group_members', membership(TIMED), [C, n])]),
    );
    const dwMissing = b.op('Equal', [dw, b.int64s('dw_missing', [DYNAMIC_WORLD_MISSING], [])]);
    const dwDropped = this.unsqueeze(b.op('Cast', [dwMissing], { to: attr.int(1) }), [2]);
    const dropped = b.op('Reshape', [
      b.op('Concat', [groupMissing, dwDropped], { axis: attr.int(2) }),
      b.int64s('drop_shape', [0, -1]),
    ]);
    return { tokens: flat, dropped };
  }

  /** [N, 1, 128]: the static SRTM token, from time step 0, with its channel embedding only. */
  srtm(xz: string, mask: string): TokenSet {
    const b = this.b;
    const group = PRESTO_GROUPS[SRTM_GROUP]!;
    const first = (v: string): string => b.op('Gather', [v, b.int64s('t0', [0], [])], { axis: attr.int(1) });
    const projected = b.op('MatMul', [
      first(xz),
      this.store.tensor('srtm_projection', this.projection([group]), [C, D]),
    ]);
    const biased = b.op('Add', [
      projected,
      this.store.tensor('srtm_bias', this.p('eo_patch_embed.SRTM.bias', [D]), [D]),
    ]);
    const token = b.op('Add', [
      biased,
      this.store.tensor('srtm_channel', this.channelRows([SRTM_GROUP]), [D]),
    ]);
    const counts = b.op('MatMul', [first(mask), b.floats('srtm_members', membership([group]), [C, 1])]);
    return { tokens: this.unsqueeze(token, [1]), dropped: this.anyMissing(counts) };
  }

  /** [N, 1, 128]: Linear(3 -> 128) of the unit-sphere point of lat/lon; never dropped. */
  latlon(latlons: string, like: string): TokenSet {
    const b = this.b;
    const radians = b.op('Div', [
      b.op('Mul', [latlons, b.floats('pi', [Math.PI], [])]),
      b.floats('deg', [180], []),
    ]);
    // sin and cos of [lat, lon] at once, then split into [N, 1] columns.
    const trig = sinCos(b, radians);
    const column = (v: string, i: number): string =>
      b.op('Slice', [v, b.int64s('col', [i]), b.int64s('col', [i + 1]), b.int64s('axis', [1])]);
    const cosLat = column(trig.cos, 0);
    const xyz = b.op(
      'Concat',
      [
        b.op('Mul', [cosLat, column(trig.cos, 1)]),
        b.op('Mul', [cosLat, column(trig.sin, 1)]),
        column(trig.sin, 0),
      ],
      { axis: attr.int(1) },
    );
    const w = linearToMatMul(this.p('latlon_embed.weight', [D, 3]), D, 3);
    const projected = b.op('MatMul', [xyz, this.store.tensor('latlon_projection', w, [3, D])]);
    const token = b.op('Add', [
      projected,
      this.store.tensor('latlon_bias', this.p('latlon_embed.bias', [D]), [D]),
    ]);
    // Zeros of shape [N, 1], from a 0/1 tensor of that shape (never NaN).
    return { tokens: this.unsqueeze(token, [1]), dropped: b.op('Mul', [like, b.floats('zero', [0], [])]) };
  }
}
