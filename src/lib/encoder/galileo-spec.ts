/**
 * Galileo-nano's space-time input layout (Tseng et al. 2025, NASA Harvest), shared by the
 * converter that emits its ONNX graphs and the code that builds their inputs. Facts from
 * ../shared/models/galileo-nano/golden/README.md (upstream `single_file_galileo.py`).
 */

/** The 13 channels of x[.., T, 13] (upstream SPACE_TIME_BANDS), in order. */
export const GALILEO_CHANNELS = [
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
  'NDVI',
] as const;
export type GalileoChannel = (typeof GALILEO_CHANNELS)[number];
export const GALILEO_CHANNEL_COUNT = GALILEO_CHANNELS.length;

export interface GalileoGroup {
  /** Suffix of `space_time_embed.<name>.proj` in the checkpoint. */
  name: string;
  /** Indices into GALILEO_CHANNELS. */
  channels: readonly number[];
}

/** Space-time channel groups; the position is the group's `s_t_channel_embed` row. */
export const GALILEO_GROUPS: readonly GalileoGroup[] = [
  { name: 'S1', channels: [0, 1] },
  { name: 'S2_RGB', channels: [2, 3, 4] },
  { name: 'S2_Red_Edge', channels: [5, 6, 7] },
  { name: 'S2_NIR_10m', channels: [8] },
  { name: 'S2_NIR_20m', channels: [9] },
  { name: 'S2_SWIR', channels: [10, 11] },
  { name: 'NDVI', channels: [12] },
];
export const GALILEO_DIM = 128;
export const GALILEO_MAX_TIMESTEPS = 24;
/** The checkpoint's patch kernels are 8 x 8; other sizes are resized by the converter. */
export const GALILEO_NATIVE_PATCH = 8;

/**
 * Upstream `Normalizer(std=True, std_multiplier=2)` with normalization.json key "13":
 * x_norm = (x - (mean - 2 std)) / (4 std) for VV..B12; NDVI passes through. Sentinel-2 is in
 * DN (reflectance x 10000), Sentinel-1 in dB.
 */
const MEAN = [
  -11.728724389184965, -18.85558188024017, 1395.3408730676722, 1338.4026921784578, 1343.09883810357,
  1543.8607982512297, 2186.2022069512263, 2525.0932853316694, 2410.3377187373408, 2750.2854646886753,
  2234.911100061487, 1474.5311266077113,
];
const STD = [
  4.887145774840316, 5.730270320384293, 917.7041440370853, 913.2988423581528, 1092.678723527555,
  1047.2206083460424, 1048.0101611156767, 1143.6903026819996, 1098.979177731649, 1204.472755085893,
  1145.9774063078878, 980.2429840007796,
];
export const GALILEO_NORMALISATION: readonly { shift: number; divide: number }[] = GALILEO_CHANNELS.map(
  (_, i) => {
    const mean = MEAN[i];
    const std = STD[i];
    return mean === undefined || std === undefined
      ? { shift: 0, divide: 1 }
      : { shift: mean - 2 * std, divide: 4 * std };
  },
);
