import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckpointSource, loadCheckpoint } from '../../models/convert/checkpoint-source.ts';
import { float16Bits, float16Value } from '../../models/convert/float16.ts';
import { sha256Hex } from '../../src/lib/encoder/model-manifest.ts';
import { AppError } from '../../src/lib/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'eee-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(source: CheckpointSource): Promise<AppError> {
  try {
    await loadCheckpoint(source);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('loadCheckpoint did not fail');
}

describe('loadCheckpoint', () => {
  const bytes = new TextEncoder().encode('not really a checkpoint');

  it('reads a local copy whose size and SHA-256 match the pin', async () => {
    const path = join(dir, 'ok.pt');
    writeFileSync(path, bytes);
    const source = {
      paths: [path],
      url: 'http://127.0.0.1:9/x',
      cachePath: join(dir, 'none'),
      sha256: await sha256Hex(bytes),
      bytes: bytes.length,
    };
    expect(await loadCheckpoint(source)).toEqual(bytes);
  });

  it('refuses a local copy that is not the pinned file', async () => {
    const path = join(dir, 'other.pt');
    writeFileSync(path, bytes);
    const error = await failure({
      paths: [path],
      url: 'http://127.0.0.1:9/x',
      cachePath: join(dir, 'none'),
      sha256: '0'.repeat(64),
      bytes: 3,
    });
    expect(error.code).toBe('model');
    expect(error.message).toMatch(/not the expected one/);
  });

  it('without a local copy and without a network, says where to put the file', async () => {
    // Port 9 (discard) on localhost refuses connections: the download path fails as offline.
    const error = await failure({
      paths: [join(dir, 'absent.pt')],
      url: 'http://127.0.0.1:9/default_model.pt',
      cachePath: join(dir, 'cache.pt'),
      sha256: '0'.repeat(64),
      bytes: 1,
    });
    expect(error.code).toBe('network');
    expect(error.message).toMatch(
      /No local checkpoint \(looked in .*absent\.pt.*cache\.pt\) and the download failed/,
    );
  });
});

describe('float16 conversion', () => {
  it('rounds to nearest even and handles the edges', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(70000)).toBe(0x7c00);
    expect(float16Bits(2 ** -24)).toBe(0x0001);
    expect(float16Bits(2 ** -26)).toBe(0);
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(Number.isNaN(float16Value(float16Bits(Number.NaN)))).toBe(true);
    for (const v of [0.1, -2.71, 1e-3, 123.456])
      expect(Math.abs(float16Value(float16Bits(v)) - v)).toBeLessThan(Math.abs(v) * 2 ** -11);
  });
});
