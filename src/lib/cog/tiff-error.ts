import { AppError, isAborted } from '../errors.ts';

/** Which part of a GeoTIFF a read was decoding when it failed, named in the message. */
export type TiffPart = 'header' | 'pixels';

const PART_TEXT: Record<TiffPart, string> = {
  header: 'its header (the image directory: size, tags, tile index) is corrupt',
  pixels: 'its pixel data (a compressed tile or strip) is corrupt or cut off',
};

/**
 * The message of a file geotiff.js could not decode: which file and which part is damaged,
 * never the library's own words ("Invalid field type: 45315", "Offset is outside the bounds of
 * the DataView"), which say nothing to a user and, for a hostile file, can be huge. The
 * library's error is kept as the cause for developers.
 */
export function damagedTiff(what: string, part: TiffPart, cause?: unknown): AppError {
  return new AppError(
    'bad-input',
    `${what} is damaged: ${PART_TEXT[part]}. It cannot be read as a GeoTIFF; export or download it again.`,
    { cause },
  );
}

/** A file that is no TIFF at all: text or an image renamed .tif, an HTML error page. */
export function notATiff(what: string, cause?: unknown): AppError {
  return new AppError(
    'bad-input',
    `${what} is not a GeoTIFF: it does not begin as a TIFF file does (another kind of file, perhaps renamed).`,
    { cause },
  );
}

/** Turns whatever geotiff.js or the network threw into an AppError that names the file. */
export function tiffError(
  error: unknown,
  what: string,
  signal?: AbortSignal,
  part: TiffPart = 'header',
): AppError {
  if (signal?.aborted || isAborted(error)) return new AppError('aborted', `Reading ${what} was cancelled.`);
  if (error instanceof AppError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  // geotiff.js throws exactly this when the server answers with an error status (404, 500...).
  if (detail === 'Error fetching data.') {
    return new AppError(
      'http',
      `The server refused ${what}: it answered with an HTTP error status (is the file there?).`,
      { cause: error },
    );
  }
  // A network failure surfaces as fetch's own TypeError ("Failed to fetch", "fetch failed").
  if (
    error instanceof TypeError &&
    /^(Failed to fetch|fetch failed|NetworkError|Load failed)/i.test(detail)
  ) {
    return new AppError('network', `Could not download ${what}: the connection failed.`, { cause: error });
  }
  // geotiff.js's first checks: the bytes 0-1 (II or MM) and 2-3 (42, or 43 for BigTIFF).
  if (/^Invalid (byte order value|magic number)/.test(detail)) return notATiff(what, error);
  return damagedTiff(what, part, error);
}
