/**
 * Presto's input layout (Tseng et al. 2023), shared by the converter that emits the ONNX
 * graph and the code that builds its inputs. Facts from ../shared/models/README.md.
 */

/** The 17 channels of x[N, T, 17], in order. */
export const PRESTO_CHANNELS = [
  'VV',
  'VH',
  'B2',
  'B3',
  'B4',
  'B5',
  'B6',
  'B7',
  'B8',
  'B8A',
  'B11',
  'B12',
  'temperature_2m',
  'total_precipitation',
  'elevation',
  'slope',
  'NDVI',
] as const;
export type PrestoChannel = (typeof PRESTO_CHANNELS)[number];
export const PRESTO_CHANNEL_COUNT = PRESTO_CHANNELS.length;

export interface PrestoGroup {
  /** Suffix of `encoder.eo_patch_embed.<name>` in the checkpoint. */
  name: string;
  /** Indices into PRESTO_CHANNELS. */
  channels: readonly number[];
}

/** Channel groups in token order; the position is the group's `channel_embed` row. */
export const PRESTO_GROUPS: readonly PrestoGroup[] = [
  { name: 'S1', channels: [0, 1] },
  { name: 'S2_RGB', channels: [2, 3, 4] },
  { name: 'S2_Red_Edge', channels: [5, 6, 7] },
  { name: 'S2_NIR_10m', channels: [8] },
  { name: 'S2_NIR_20m', channels: [9] },
  { name: 'S2_SWIR', channels: [10, 11] },
  { name: 'ERA5', channels: [12, 13] },
  { name: 'SRTM', channels: [14, 15] },
  { name: 'NDVI', channels: [16] },
];
/** SRTM is static: one token, from timestep 0, with no month or position term. */
export const SRTM_GROUP = 7;
/** `channel_embed` row of the dynamic-world tokens. */
export const DYNAMIC_WORLD_GROUP = 9;
/** Dynamic-world class meaning "missing"; its tokens are dropped. */
export const DYNAMIC_WORLD_MISSING = 9;
export const PRESTO_MAX_TIMESTEPS = 24;
export const PRESTO_DIM = 128;

/** Per channel: normalised = (x + add) / divide, then 0 where masked. */
export const PRESTO_NORMALISATION: readonly { add: number; divide: number }[] = PRESTO_CHANNELS.map((c) => {
  if (c === 'VV' || c === 'VH') return { add: 25, divide: 25 };
  if (c === 'temperature_2m') return { add: -272.15, divide: 35 };
  if (c === 'total_precipitation') return { add: 0, divide: 0.03 };
  if (c === 'elevation') return { add: 0, divide: 2000 };
  if (c === 'slope') return { add: 0, divide: 50 };
  if (c === 'NDVI') return { add: 0, divide: 1 };
  return { add: 0, divide: 10000 };
});
