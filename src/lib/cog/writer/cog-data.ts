/** The pixel array types the COG writer accepts, and what each means in TIFF terms. */
import { AppError } from '../../errors.ts';

export type CogData = Uint8Array | Int8Array | Uint16Array | Int16Array | Float32Array;

export interface SampleLayout {
  bitsPerSample: 8 | 16 | 32;
  /** TIFF SampleFormat: 1 unsigned integer, 2 signed integer, 3 IEEE float. */
  sampleFormat: 1 | 2 | 3;
  /** TIFF Predictor: 2 horizontal differencing (integers), 3 floating-point (floats). */
  predictor: 2 | 3;
  /** STAC raster:bands data_type name. */
  dataType: 'uint8' | 'int8' | 'uint16' | 'int16' | 'float32';
  min: number;
  max: number;
}

export function sampleLayout(data: unknown): SampleLayout {
  // Uint8ClampedArray is not a Uint8Array subclass, so it is refused here like any other type.
  if (data instanceof Uint8Array) {
    return { bitsPerSample: 8, sampleFormat: 1, predictor: 2, dataType: 'uint8', min: 0, max: 255 };
  }
  if (data instanceof Int8Array) {
    return { bitsPerSample: 8, sampleFormat: 2, predictor: 2, dataType: 'int8', min: -128, max: 127 };
  }
  if (data instanceof Uint16Array) {
    return { bitsPerSample: 16, sampleFormat: 1, predictor: 2, dataType: 'uint16', min: 0, max: 65535 };
  }
  if (data instanceof Int16Array) {
    return { bitsPerSample: 16, sampleFormat: 2, predictor: 2, dataType: 'int16', min: -32768, max: 32767 };
  }
  if (data instanceof Float32Array) {
    return {
      bitsPerSample: 32,
      sampleFormat: 3,
      predictor: 3,
      dataType: 'float32',
      // Largest finite float32: a nodata value beyond it would be stored as Infinity.
      min: -3.4028234663852886e38,
      max: 3.4028234663852886e38,
    };
  }
  const name = typeof data === 'object' && data !== null ? data.constructor.name : typeof data;
  throw new AppError(
    'bad-input',
    `Unsupported pixel array type ${name}: use Uint8Array, Int8Array, Uint16Array, Int16Array or Float32Array.`,
  );
}

/** A zero-filled array of the same type as `like`. */
export function allocLike(like: CogData, length: number): CogData {
  if (like instanceof Uint8Array) return new Uint8Array(length);
  if (like instanceof Int8Array) return new Int8Array(length);
  if (like instanceof Uint16Array) return new Uint16Array(length);
  if (like instanceof Int16Array) return new Int16Array(length);
  return new Float32Array(length);
}

/** `value` as stored in an array of the same type as `like` (Float32 rounding, integer wrap). */
export function storedValue(like: CogData, value: number): number {
  const one = allocLike(like, 1);
  one[0] = value;
  return one[0] ?? value;
}
