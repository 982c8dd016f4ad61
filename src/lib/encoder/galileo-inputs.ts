import { AppError } from '../errors.ts';
import { GALILEO_CHANNEL_COUNT, GALILEO_CHANNELS, GALILEO_MAX_TIMESTEPS } from './galileo-spec.ts';
import type { PrestoInputs } from './presto-inputs.ts';
import { PRESTO_CHANNEL_COUNT, PRESTO_CHANNELS } from './presto-spec.ts';

/** Galileo-nano pixel-mode inputs: x and mask [count, T, 13], month [count, T]. */
export interface GalileoInputs {
  count: number;
  timesteps: number;
  x: Float32Array;
  mask: Float32Array;
  month: BigInt64Array;
}

/** For each Galileo channel, the Presto channel holding the same quantity (same units). */
const FROM_PRESTO = GALILEO_CHANNELS.map((c) => PRESTO_CHANNELS.indexOf(c));
const NDVI = GALILEO_CHANNELS.indexOf('NDVI');
const B4 = GALILEO_CHANNELS.indexOf('B4');
const B8 = GALILEO_CHANNELS.indexOf('B8');

/**
 * Galileo's inputs from the ones the app builds for Presto (the same Sentinel-2 reflectances
 * x 10000, S1 dB, NDVI, per-date cloud masks and months, single date or yearly series): the
 * 13 shared channels. One difference is upstream's: Galileo's NDVI is 0, not missing, where
 * B4 + B8 <= 0 (`Dataset.calculate_ndi`), so its token is kept there.
 */
export function galileoInputsFromPresto(inputs: PrestoInputs): GalileoInputs {
  const { count, timesteps: T } = inputs;
  if (T < 1 || T > GALILEO_MAX_TIMESTEPS) {
    throw new AppError('bad-input', `Galileo takes 1 to ${GALILEO_MAX_TIMESTEPS} dates, got ${T}.`);
  }
  const rows = count * T;
  const x = new Float32Array(rows * GALILEO_CHANNEL_COUNT);
  const mask = new Float32Array(rows * GALILEO_CHANNEL_COUNT);
  for (let r = 0; r < rows; r++) {
    const from = r * PRESTO_CHANNEL_COUNT;
    const to = r * GALILEO_CHANNEL_COUNT;
    for (let c = 0; c < GALILEO_CHANNEL_COUNT; c++) {
      const source = FROM_PRESTO[c] ?? 0;
      x[to + c] = inputs.x[from + source] ?? 0;
      mask[to + c] = inputs.mask[from + source] ?? 1;
    }
    if (mask[to + NDVI] !== 0 && mask[to + B4] === 0 && mask[to + B8] === 0) {
      x[to + NDVI] = 0;
      mask[to + NDVI] = 0;
    }
  }
  return { count, timesteps: T, x, mask, month: inputs.month };
}
