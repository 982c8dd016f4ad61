import { fromArrayBuffer, fromBlob, GeoTIFF } from 'geotiff';
import { AppError, isAborted } from '../errors.ts';
import { RangeSource } from './range-source.ts';
import { createReadContext, type ReadContext } from './read-context.ts';
import { checkTiffStructure } from './tiff-structure.ts';

/** Local files up to this size are read into memory whole; larger ones by slices. */
const WHOLE_FILE_LIMIT = 512 * 1024 * 1024;

export type TiffSource = { kind: 'url'; url: string } | { kind: 'file'; file: Blob; name: string };

export function describeSource(source: TiffSource): string {
  return source.kind === 'url' ? source.url : source.name;
}

/** Turns whatever geotiff.js or the network threw into an AppError that names the file. */
export function tiffError(error: unknown, what: string, signal?: AbortSignal): AppError {
  if (signal?.aborted || isAborted(error)) return new AppError('aborted', `Reading ${what} was cancelled.`);
  if (error instanceof AppError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  // geotiff.js throws exactly this when the server answers with an error status (404, 500...);
  // a network failure surfaces as fetch's own TypeError ("Failed to fetch", "fetch failed").
  if (detail === 'Error fetching data.') {
    return new AppError(
      'http',
      `The server refused ${what}: it answered with an HTTP error status (is the file there?).`,
    );
  }
  if (/fetch|network|Failed to fetch|ECONNREFUSED/i.test(detail)) {
    return new AppError('network', `Could not download ${what}: ${detail}`);
  }
  if (/\b40[34]\b|\b5\d\d\b/.test(detail))
    return new AppError('http', `The server refused ${what}: ${detail}`);
  return new AppError('bad-input', `${what} could not be read as a GeoTIFF: ${detail}`);
}

/**
 * Opens a GeoTIFF lazily: over HTTP only the header and the tiles asked for later are
 * fetched (range requests); a local file is read by slices.
 */
export async function openTiff(
  source: TiffSource,
  signal?: AbortSignal,
  ctx?: ReadContext,
): Promise<GeoTIFF> {
  const what = describeSource(source);
  try {
    // Range requests with merging, caching, counting and a per-origin limit (range-source.ts);
    // a context shared by the bands of one scene counts and limits them together.
    if (source.kind === 'url')
      return await GeoTIFF.fromSource(
        new RangeSource(source.url, ctx ?? createReadContext(signal)),
        {},
        signal,
      );
    // Stripped files (one strip per row is common) cost one Blob read per strip through
    // fromBlob; reading a file of ordinary size at once is an order of magnitude faster.
    if (source.file.size <= WHOLE_FILE_LIMIT) {
      const buffer = await source.file.arrayBuffer();
      checkTiffStructure(new Uint8Array(buffer), buffer.byteLength, what);
      return await fromArrayBuffer(buffer, signal);
    }
    checkTiffStructure(
      new Uint8Array(await source.file.slice(0, 1 << 20).arrayBuffer()),
      source.file.size,
      what,
    );
    return await fromBlob(source.file, signal);
  } catch (error) {
    throw tiffError(error, what, signal);
  }
}
