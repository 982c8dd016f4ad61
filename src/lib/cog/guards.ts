import type { GeoTIFFImage } from 'geotiff';
import { AppError } from '../errors.ts';
import type { PixelWindow } from './window.ts';

/** TIFF Compression codes geotiff.js decodes and the app accepts. */
const COMPRESSIONS: Record<number, string> = {
  1: 'none',
  5: 'LZW',
  7: 'JPEG',
  8: 'Deflate',
  32773: 'PackBits',
  32946: 'Deflate',
  50000: 'Zstandard',
};

/** Images larger than this are refused (a full Sentinel-2 tile is 1.2e8 pixels). */
export const MAX_IMAGE_PIXELS = 2 ** 32;
/** A decoded tile or strip larger than this would be allocated in one piece: refused. */
export const MAX_BLOCK_BYTES = 256 * 2 ** 20;
/** Largest window read from one image. */
export const MAX_WINDOW_PIXELS = 64_000_000;

/**
 * Checks what the header of an image claims before anything is allocated or fetched:
 * size, tile size, compression, sample format and bit depth. A corrupt or hostile header
 * (10^6 x 10^6 pixels, a 4 GB tile) ends here with a clear message, not in an out-of-memory.
 */
export function checkReadable(image: GeoTIFFImage, window: PixelWindow, what: string): void {
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width >= 1 && height >= 1) || width * height > MAX_IMAGE_PIXELS) {
    throw new AppError(
      'too-large',
      `${what} claims ${width} x ${height} pixels; the app refuses images over ${MAX_IMAGE_PIXELS.toExponential(1)} pixels.`,
    );
  }
  const fd = image.getFileDirectory();
  const compression = Number(fd.getValue('Compression') ?? 1);
  if (!COMPRESSIONS[compression]) {
    throw new AppError(
      'unsupported',
      `${what} uses TIFF compression ${compression}, which the app cannot decode (supported: none, LZW, Deflate, PackBits, Zstandard, JPEG).`,
    );
  }
  const format = image.getSampleFormat();
  const bits = image.getBitsPerSample();
  const ok =
    ((format === 1 || format === 2) && (bits === 8 || bits === 16 || bits === 32)) ||
    (format === 3 && (bits === 32 || bits === 64));
  if (!ok) {
    const kind =
      format === 1
        ? 'unsigned integer'
        : format === 2
          ? 'signed integer'
          : format === 3
            ? 'float'
            : `sample format ${format}`;
    throw new AppError(
      'unsupported',
      `${what} stores ${bits}-bit ${kind} samples; the app reads 8/16/32-bit integers and 32/64-bit floats.`,
    );
  }
  const blockBytes = image.getTileWidth() * image.getTileHeight() * image.getBytesPerPixel();
  if (!(blockBytes > 0) || blockBytes > MAX_BLOCK_BYTES) {
    throw new AppError(
      'too-large',
      `${what} has ${image.getTileWidth()} x ${image.getTileHeight()} pixel blocks (${(blockBytes / 2 ** 20).toFixed(0)} MiB each decoded); the app refuses blocks over ${MAX_BLOCK_BYTES / 2 ** 20} MiB.`,
    );
  }
  const [x0, y0, x1, y1] = window;
  if ((x1 - x0) * (y1 - y0) > MAX_WINDOW_PIXELS) {
    throw new AppError(
      'too-large',
      `Reading ${what} would need a ${x1 - x0} x ${y1 - y0} pixel window; the limit is ${MAX_WINDOW_PIXELS.toLocaleString('en')} pixels. Choose a smaller area.`,
    );
  }
}
