import { describe, expect, it } from 'vitest';
import rawManifest from '../../models/presto/manifest.json';
import {
  findVariant,
  parseModelManifest,
  sha256Hex,
  verifyModelBytes,
} from '../../src/lib/encoder/model-manifest.ts';
import { sha256HexPortable } from '../../src/lib/encoder/sha256.ts';
import { AppError } from '../../src/lib/errors.ts';

async function refusal(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError && error.code === 'model') return error.message;
    throw error;
  }
  return 'no error';
}

const clone = (): typeof rawManifest => structuredClone(rawManifest);

describe('model manifests', () => {
  it('accepts the committed Presto manifest', () => {
    const m = parseModelManifest(rawManifest);
    expect(m.id).toBe('presto');
    expect(m.output).toEqual({ name: 'embedding', dim: 128, resolution_m: 10 });
    expect(m.variants.map((v) => v.dtype)).toEqual(['fp32', 'fp16', 'int8']);
    expect(m.inputs.map((i) => i.name)).toEqual(['x', 'mask', 'dynamic_world', 'latlons', 'month']);
    expect(m.inputs[0]?.channels).toHaveLength(17);
    expect(m.licence).toMatch(/^MIT/);
    expect(m.citation).toMatch(/Lightweight, Pre-trained Transformers for Remote Sensing Timeseries/);
  });

  it('names the bad field', async () => {
    const badSha = clone();
    badSha.variants[1]!.sha256 = 'abc';
    expect(await refusal(() => parseModelManifest(badSha))).toMatch(
      /variants\[1\]\.sha256: expected 64 hex characters/,
    );
    const badFile = clone();
    badFile.variants[0]!.file = '../../etc/passwd';
    expect(await refusal(() => parseModelManifest(badFile))).toMatch(
      /variants\[0\]\.file: expected a plain file name/,
    );
    const { output: _, ...noOutput } = clone();
    expect(await refusal(() => parseModelManifest(noOutput))).toMatch(/output:/);
    const twice = clone();
    twice.variants[2]!.dtype = 'fp32';
    expect(await refusal(() => parseModelManifest(twice))).toMatch(/fp32 is listed twice/);
  });

  it('finds a variant, or says which exist', async () => {
    const m = parseModelManifest(rawManifest);
    expect(findVariant(m, 'int8').file).toBe('presto.int8.onnx');
    const fp32Only = parseModelManifest({ ...clone(), variants: [clone().variants[0]] });
    expect(await refusal(() => findVariant(fp32Only, 'fp16'))).toMatch(/no fp16 variant \(it has fp32\)/);
  });

  it('verifies bytes by size and SHA-256 (WebCrypto)', async () => {
    const bytes = new TextEncoder().encode('abc');
    // FIPS 180-2 test vector.
    const sha = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(await sha256Hex(bytes)).toBe(sha);
    const variant = { dtype: 'fp32' as const, file: 'm.onnx', bytes: 3, sha256: sha };
    await verifyModelBytes(bytes, variant);
    expect(await refusal(() => verifyModelBytes(new TextEncoder().encode('abd'), variant))).toMatch(
      /m\.onnx is not the expected one \(SHA-256 [0-9a-f]{64}, expected ba78/,
    );
    expect(await refusal(() => verifyModelBytes(bytes.subarray(0, 2), variant))).toMatch(
      /has 2 bytes, expected 3/,
    );
  });
});

describe('portable SHA-256 (pages without crypto.subtle)', () => {
  it('equals WebCrypto on the FIPS vectors and on lengths around the block size', async () => {
    expect(sha256HexPortable(new Uint8Array())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(sha256HexPortable(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    for (const length of [55, 56, 63, 64, 65, 1000, 100_003]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      expect(sha256HexPortable(bytes), `${length} bytes`).toBe(await sha256Hex(bytes));
    }
  });
});
