/** RGBA image of a class map in the analyst's class colours; hidden classes and nodata transparent. */
import { AppError } from '../errors.ts';

export const UNCERTAIN_RGBA = [160, 160, 160, 200] as const;

export interface ClassImageOptions {
  /** '#rrggbb' per class value. */
  colours: readonly string[];
  hidden?: ReadonlySet<number>;
  /** Show "uncertain" pixels (value 254) in grey; otherwise transparent. */
  showUncertain?: boolean;
}

export function classesToRgba(
  classes: Uint8Array,
  options: ClassImageOptions,
): Uint8ClampedArray<ArrayBuffer> {
  const table = new Uint8Array(256 * 4);
  options.colours.forEach((colour, value) => {
    if (!/^#[0-9a-f]{6}$/i.test(colour))
      throw new AppError('bad-input', `Class colour "${colour}" is not #rrggbb.`);
    if (options.hidden?.has(value)) return;
    const v = Number.parseInt(colour.slice(1), 16);
    table.set([(v >> 16) & 255, (v >> 8) & 255, v & 255, 255], value * 4);
  });
  if (options.showUncertain !== false && !options.hidden?.has(254)) table.set(UNCERTAIN_RGBA, 254 * 4);
  const rgba = new Uint8ClampedArray(classes.length * 4);
  for (let i = 0, o = 0; i < classes.length; i++, o += 4) {
    const t = classes[i]! * 4;
    rgba[o] = table[t]!;
    rgba[o + 1] = table[t + 1]!;
    rgba[o + 2] = table[t + 2]!;
    rgba[o + 3] = table[t + 3]!;
  }
  return rgba;
}
