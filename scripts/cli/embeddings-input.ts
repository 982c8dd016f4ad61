import { readFile } from 'node:fs/promises';
import { type GeoEmbeddings, readEmbeddingsTiff } from '../../src/lib/analysis/index.ts';
import { warn } from './io.ts';

/**
 * Reads an embeddings GeoTIFF for `similar`, `cluster` and `classify`: float32, or int8
 * de-quantised with its per-band SCALE/OFFSET. Files of the first int8 scheme (clamped to
 * [-1, 1]) are read as written, with a warning: their clipped values cannot be restored.
 */
export async function readEmbeddingsFile(path: string, label: string): Promise<GeoEmbeddings> {
  const bytes = await readFile(path);
  const read = await readEmbeddingsTiff(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    label,
  );
  if (read.storage === 'int8-clamp-unit')
    warn(
      `${label} was written by an earlier int8 export that clipped every value to [-1, 1]; embeddings with larger values (Presto, MOSAIKS) lost part of their geometry. Export it again with --encoding int8 or float32.`,
      { storage: read.storage },
    );
  return read;
}
