import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sha256Hex } from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { fetchChecked } from '../../src/lib/net/index.ts';

export interface CheckpointSource {
  /** Local copies to try first, in order (e.g. ../shared/models/presto/default_model.pt). */
  paths: readonly string[];
  /** Public upstream location, fetched when no local copy exists. */
  url: string;
  /** Where a downloaded checkpoint is kept for the next build. */
  cachePath: string;
  sha256: string;
  bytes: number;
}

async function checked(bytes: Uint8Array, where: string, source: CheckpointSource): Promise<Uint8Array> {
  const sha = await sha256Hex(bytes);
  if (bytes.length !== source.bytes || sha !== source.sha256) {
    throw new AppError(
      'model',
      `The checkpoint at ${where} is not the expected one (${bytes.length} bytes, SHA-256 ${sha}; expected ${source.bytes} bytes, ${source.sha256}).`,
    );
  }
  return bytes;
}

/**
 * The checkpoint bytes, verified against the pinned size and SHA-256: from a local copy, else
 * the download cache, else the upstream URL (then cached). Offline with no copy: a 'network'
 * AppError that says where to put the file.
 */
export async function loadCheckpoint(source: CheckpointSource, signal?: AbortSignal): Promise<Uint8Array> {
  for (const path of [...source.paths, source.cachePath]) {
    if (existsSync(path)) return checked(new Uint8Array(await readFile(path)), path, source);
  }
  let response: Response;
  try {
    response = await fetchChecked(
      source.url,
      {},
      { service: 'the upstream checkpoint host', timeoutMs: 60_000, signal },
    );
  } catch (error) {
    if (error instanceof AppError && (error.code === 'network' || error.code === 'timeout')) {
      throw new AppError(
        'network',
        `No local checkpoint (looked in ${[...source.paths, source.cachePath].join(', ')}) and the download failed: ${error.message} Put the file at one of those paths, or build with a network connection.`,
        { cause: error },
      );
    }
    throw error;
  }
  const bytes = await checked(new Uint8Array(await response.arrayBuffer()), source.url, source);
  await mkdir(dirname(source.cachePath), { recursive: true });
  await writeFile(source.cachePath, bytes);
  return bytes;
}
