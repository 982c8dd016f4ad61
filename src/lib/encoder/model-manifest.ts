import { z } from 'zod';
import { AppError } from '../errors.ts';
import { sha256HexPortable } from './sha256.ts';

/**
 * The manifest of an ONNX encoder whose weights are a file the app downloads: what the
 * model expects, what it returns, and the exact bytes of each stored variant (size and
 * SHA-256), so a truncated or substituted file is refused before ORT ever parses it.
 */

const dim = z.union([z.number().int().positive(), z.string().regex(/^[A-Za-z_]\w*$/)]);

const tensorSpec = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'int64']),
  shape: z.array(dim).min(1),
  description: z.string().min(1),
  /** For the last axis: what each index means (e.g. the 17 Presto channels, in order). */
  channels: z.array(z.string().min(1)).optional(),
  /**
   * For a band-input model: the factor the app multiplies L2A surface reflectance by before
   * feeding it (10000 = digital numbers without the processing-baseline offset, 1 = 0..1).
   */
  reflectance_scale: z.number().positive().optional(),
});

export const MODEL_DTYPES = ['fp32', 'fp16', 'int8'] as const;
export type ModelDtype = (typeof MODEL_DTYPES)[number];

const variant = z.object({
  dtype: z.enum(MODEL_DTYPES),
  file: z.string().regex(/^[\w.-]+\.onnx$/, 'expected a plain file name ending in .onnx'),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters'),
  description: z.string().min(1).optional(),
});
export type ModelVariant = z.infer<typeof variant>;

const manifestSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(1),
  description: z.string().min(1),
  /** The encoder family that feeds it (families/<id>/); without it, the inputs say. */
  family: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .optional(),
  kind: z.literal('pixel'),
  inputs: z.array(tensorSpec).min(1),
  time_steps: z.object({ min: z.number().int().positive(), max: z.number().int().positive() }),
  normalisation: z.object({
    applied: z.literal('inside the graph'),
    channels: z.record(z.string(), z.string()),
    masked_values: z.string().min(1),
  }),
  output: z.object({
    name: z.string().min(1),
    dim: z.number().int().positive(),
    resolution_m: z.number().positive(),
  }),
  variants: z.array(variant).min(1),
  licence: z.string().min(1),
  citation: z.string().min(1),
  upstream: z.object({
    url: z.url(),
    // A converted model names the checkpoint it came from; a user's own model may not have one.
    checkpoint_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters')
      .optional(),
    checkpoint_bytes: z.number().int().positive().optional(),
  }),
});
export type ModelManifest = z.infer<typeof manifestSchema>;

/** "variants[1].sha256" from zod's path ["variants", 1, "sha256"]. */
function pathName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

/** Parses a manifest; the error names the first bad field, e.g. "variants[1].sha256: ...". */
export function parseModelManifest(raw: unknown, source = 'the model manifest'): ModelManifest {
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? pathName(issue.path) || '(root)' : '(root)';
    throw new AppError('model', `${source} is invalid: ${where}: ${issue?.message ?? 'unknown problem'}.`);
  }
  const dtypes = result.data.variants.map((v) => v.dtype);
  const repeated = dtypes.find((d, i) => dtypes.indexOf(d) !== i);
  if (repeated) throw new AppError('model', `${source} is invalid: variants: ${repeated} is listed twice.`);
  if (result.data.time_steps.min > result.data.time_steps.max) {
    throw new AppError('model', `${source} is invalid: time_steps: min is above max.`);
  }
  return result.data;
}

export function findVariant(manifest: ModelManifest, dtype: ModelDtype): ModelVariant {
  const found = manifest.variants.find((v) => v.dtype === dtype);
  if (!found) {
    const listed = manifest.variants.map((v) => v.dtype).join(', ');
    throw new AppError('model', `The ${manifest.name} model has no ${dtype} variant (it has ${listed}).`);
  }
  return found;
}

/** WebCrypto where available; pages that are not a secure context (plain http on a LAN) lack it. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (!globalThis.crypto?.subtle) return sha256HexPortable(bytes);
  // Copy into a fresh ArrayBuffer: digest() refuses SharedArrayBuffer views.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes.slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Refuses model bytes whose size or SHA-256 differ from the manifest's (WebCrypto: browser and Node 20). */
export async function verifyModelBytes(bytes: Uint8Array, expected: ModelVariant): Promise<void> {
  if (bytes.length !== expected.bytes) {
    throw new AppError(
      'model',
      `The model file ${expected.file} has ${bytes.length} bytes, expected ${expected.bytes}: it is truncated or a different file.`,
    );
  }
  const actual = await sha256Hex(bytes);
  if (actual !== expected.sha256) {
    throw new AppError(
      'model',
      `The model file ${expected.file} is not the expected one (SHA-256 ${actual}, expected ${expected.sha256}).`,
    );
  }
}

/** The checkpoint a converted model is built from, whose pins a converter must check. */
export function checkpointPin(manifest: ModelManifest): { url: string; sha256: string; bytes: number } {
  const { url, checkpoint_sha256: sha256, checkpoint_bytes: bytes } = manifest.upstream;
  if (!sha256 || !bytes) {
    throw new AppError(
      'model',
      `The ${manifest.name} manifest is invalid: upstream.checkpoint_sha256 and upstream.checkpoint_bytes are needed to convert it.`,
    );
  }
  return { url, sha256, bytes };
}
