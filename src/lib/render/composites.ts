import { AppError } from '../errors.ts';
import type { Scene } from '../scene/index.ts';
import type { ReflectanceBand } from '../stac/index.ts';
import { trueColourRgba } from './true-colour.ts';

/** The imagery views the map offers; each needs certain bands. */
export type CompositeId = 'true-colour' | 'false-colour' | 'swir' | 'ndvi';

export interface CompositeDef {
  id: CompositeId;
  label: string;
  /** Bands shown as red, green, blue — or, for an index, its two operands (a - b)/(a + b). */
  bands: readonly ReflectanceBand[];
  description: string;
}

export const COMPOSITES: readonly CompositeDef[] = [
  {
    id: 'true-colour',
    label: 'True colour (B4 B3 B2)',
    bands: ['red', 'green', 'blue'],
    description: 'As the eye sees it.',
  },
  {
    id: 'false-colour',
    label: 'False colour (B8 B4 B3)',
    bands: ['nir', 'red', 'green'],
    description: 'Vegetation reflects near-infrared strongly, so it shows red.',
  },
  {
    id: 'swir',
    label: 'SWIR (B12 B8A B4)',
    bands: ['swir22', 'nir08', 'red'],
    description: 'Short-wave infrared separates bare soil, rock, burnt and wet areas; sees through haze.',
  },
  {
    id: 'ndvi',
    label: 'NDVI (B8, B4)',
    bands: ['nir', 'red'],
    description: 'Normalised difference vegetation index: brown = bare, green = dense vegetation.',
  },
];

export function availableComposites(bands: readonly string[]): CompositeDef[] {
  return COMPOSITES.filter((c) => c.bands.every((b) => bands.includes(b)));
}

/** A brown-to-green ramp for NDVI from -0.2 (bare, water) to 0.9 (dense vegetation). */
function ndviColour(v: number, out: Uint8ClampedArray, o: number): void {
  const t = Math.min(1, Math.max(0, (v + 0.2) / 1.1));
  out[o] = 166 - 140 * t;
  out[o + 1] = 97 + 80 * t - 60 * Math.max(0, t - 0.6);
  out[o + 2] = 26 + 30 * (1 - t);
  out[o + 3] = 255;
}

/** RGBA pixels of a composite of a scene (percentile-stretched bands, or the NDVI ramp). */
export function compositeRgba(scene: Scene, id: CompositeId): Uint8ClampedArray {
  const def = COMPOSITES.find((c) => c.id === id);
  const arrays = def?.bands.map((b) => scene.reflectance[scene.bands.indexOf(b)]);
  if (!def || !arrays || arrays.some((a) => !a)) {
    throw new AppError('bad-input', `This scene lacks the bands for the ${def?.label ?? id} view.`);
  }
  const [a, b, c] = arrays as Float32Array[];
  if (id !== 'ndvi') return trueColourRgba(a!, b!, c!, scene.valid).rgba;
  const rgba = new Uint8ClampedArray(scene.valid.length * 4);
  for (let i = 0; i < scene.valid.length; i++) {
    const nir = a![i]!;
    const red = b![i]!;
    if (!scene.valid[i] || !Number.isFinite(nir + red)) continue;
    ndviColour((nir - red) / Math.max(nir + red, 1e-6), rgba, i * 4);
  }
  return rgba;
}
