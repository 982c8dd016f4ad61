import type { ModelIdentity } from '../encoder/index.ts';
import { sha256Hex } from '../encoder/index.ts';
import type { GridSpec } from '../geo/index.ts';
import type { Scene } from '../scene/index.ts';
import { canonicalJson } from '../text/index.ts';

/** Bump when the stored form of embeddings or the meaning of a key part changes. */
export const EMBEDDING_KEY_VERSION = 1;

/** Everything an embedding grid depends on; two grids with equal parts are the same grid. */
export interface EmbeddingKeyParts {
  scene: { id: string; source: string; itemIds: string[]; datetime: string };
  /** The grid encoded (coarser than the scene's for Presto). */
  grid: GridSpec;
  /** Encoder input bands, in input order. */
  bands: string[];
  /** SCL classes masked (as a set), null without an SCL band. */
  sclMask: number[] | null;
  model: ModelIdentity;
  /** Encoder parameters: Presto's block factor and month; none for the spectral encoder. */
  params: Record<string, number | string>;
  /** SHA-256 of the encoder's input (band values and validity mask) - see inputDigest. */
  input: string;
}

/** The parts as the key hashes them: the SCL mask is a set, so its order does not count. */
export function normaliseParts(parts: EmbeddingKeyParts): EmbeddingKeyParts {
  const sclMask = parts.sclMask && [...new Set(parts.sclMask)].sort((a, b) => a - b);
  return { ...parts, sclMask };
}

/** 'embedding\n' + SHA-256 of the canonical parts. */
export async function embeddingKey(parts: EmbeddingKeyParts): Promise<string> {
  const text = canonicalJson({ v: EMBEDDING_KEY_VERSION, ...normaliseParts(parts) });
  return `embedding\n${await sha256Hex(new TextEncoder().encode(text))}`;
}

const view = (a: Float32Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * SHA-256 over the digests of each input band and of the validity mask: the pixels the encoder
 * sees. Ids and dates name a scene; this also catches a pack rebuilt in place, or dropped files
 * that share a name, whose pixels differ under the same name.
 */
export async function inputDigest(scene: Scene, bands: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const band of bands) {
    const index = scene.bands.indexOf(band as Scene['bands'][number]);
    parts.push(`${band}:${index < 0 ? 'absent' : await sha256Hex(view(scene.reflectance[index]!))}`);
  }
  parts.push(`valid:${await sha256Hex(view(scene.valid))}`);
  return sha256Hex(new TextEncoder().encode(parts.join('\n')));
}
