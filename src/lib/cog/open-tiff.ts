import { fromArrayBuffer, fromBlob, GeoTIFF } from 'geotiff';
import { RangeSource } from './range-source.ts';
import { createReadContext, type ReadContext } from './read-context.ts';
import { tiffError } from './tiff-error.ts';
import { checkTiffStructure } from './tiff-structure.ts';

export { tiffError } from './tiff-error.ts';

/** Local files up to this size are read into memory whole; larger ones by slices. */
const WHOLE_FILE_LIMIT = 512 * 1024 * 1024;

export type TiffSource = { kind: 'url'; url: string } | { kind: 'file'; file: Blob; name: string };

export function describeSource(source: TiffSource): string {
  return source.kind === 'url' ? source.url : source.name;
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
