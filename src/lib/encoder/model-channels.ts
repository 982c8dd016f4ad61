import { AppError } from '../errors.ts';
import { S2_BAND_NAMES } from '../stac/index.ts';
import { isSpectralBand, type SpectralBand } from './spectral-manifest.ts';

/**
 * How a band-input model's channels are filled from the scene: a band scaled by the
 * manifest's reflectance_scale, or a normalised difference computed from two bands.
 */
export type ChannelSource =
  | { kind: 'band'; band: SpectralBand }
  | { kind: 'index'; name: 'NDVI' | 'NDWI' | 'NDBI'; a: SpectralBand; b: SpectralBand };

/** Normalised differences (a - b) / (a + b), as the spectral encoder defines them. */
const INDICES: Record<string, { a: SpectralBand; b: SpectralBand }> = {
  NDVI: { a: 'nir', b: 'red' },
  NDWI: { a: 'green', b: 'nir' },
  NDBI: { a: 'swir16', b: 'nir' },
};

/** "B4", "B04", "red" all name the red band; unknown names give undefined. */
function bandOf(name: string): SpectralBand | undefined {
  if (isSpectralBand(name)) return name;
  const padded = /^B\d$/.test(name) ? `B0${name.slice(1)}` : name;
  const key = S2_BAND_NAMES[padded.toUpperCase()];
  return isSpectralBand(key) ? key : undefined;
}

/** The sources of a model's input channels, or an error naming the channel it cannot feed. */
export function planChannels(channels: readonly string[], field: string): ChannelSource[] {
  return channels.map((name, i) => {
    const band = bandOf(name);
    if (band) return { kind: 'band', band };
    const index = INDICES[name.toUpperCase()];
    if (index) return { kind: 'index', name: name.toUpperCase() as 'NDVI' | 'NDWI' | 'NDBI', ...index };
    throw new AppError(
      'model',
      `${field}[${i}]: the app cannot provide the channel "${name}" (it provides Sentinel-2 bands B2..B12, B8A — or blue, green, red, ... — and NDVI, NDWI, NDBI).`,
    );
  });
}

/** The scene bands a plan reads, in a stable order (the order pixels are sent to the worker). */
export function bandsNeeded(plan: readonly ChannelSource[]): SpectralBand[] {
  const needed = new Set<SpectralBand>();
  for (const source of plan) {
    if (source.kind === 'band') needed.add(source.band);
    else {
      needed.add(source.a);
      needed.add(source.b);
    }
  }
  return [...needed];
}

/**
 * Model input [count, channels] from interleaved reflectances [count, bands]. A pixel whose
 * values are not finite gets zeros (the caller only sends valid pixels; this keeps NaN out of ORT).
 */
export function fillChannels(
  pixels: Float32Array,
  count: number,
  bands: readonly string[],
  plan: readonly ChannelSource[],
  reflectanceScale: number,
): Float32Array {
  const nb = bands.length;
  const at = (band: SpectralBand) => {
    const index = bands.indexOf(band);
    if (index < 0)
      throw new AppError('bad-input', `The model needs the band ${band}, which the scene lacks.`);
    return index;
  };
  const columns = plan.map((s) =>
    s.kind === 'band' ? { a: at(s.band), b: -1 } : { a: at(s.a), b: at(s.b) },
  );
  const nc = plan.length;
  const out = new Float32Array(count * nc);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < nc; c++) {
      const { a, b } = columns[c]!;
      const va = pixels[i * nb + a]!;
      let value: number;
      if (b < 0) value = va * reflectanceScale;
      else {
        const vb = pixels[i * nb + b]!;
        value = va + vb === 0 ? 0 : (va - vb) / (va + vb);
      }
      out[i * nc + c] = Number.isFinite(value) ? value : 0;
    }
  }
  return out;
}
