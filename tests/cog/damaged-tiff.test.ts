import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCog, sampleEmbeddings } from '../../scripts/fuzz/tiff-targets.ts';
import { readEmbeddingsTiff } from '../../src/lib/analysis/index.ts';
import { openTiff } from '../../src/lib/cog/open-tiff.ts';
import { readBandOnGrid } from '../../src/lib/cog/read-band.ts';
import { createReadContext } from '../../src/lib/cog/read-context.ts';
import { AppError, MAX_MESSAGE_CHARS } from '../../src/lib/errors.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { loadScene } from '../../src/lib/scene/index.ts';
import { CogServer } from './cog-server.ts';
import { firstIfdTiles } from './tiff-patch.ts';

/**
 * Crafted damaged files: the message names the file and the damaged part (header or pixel
 * data), never geotiff.js's own words ("Invalid field type: 45315", "Offset is outside the
 * bounds of the DataView"); the library's error stays available as the cause.
 */
const TRANSFORM = { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 };
const target: GridSpec = { width: 64, height: 64, epsg: 32632, transform: TRANSFORM };
const server = new CogServer();
const RAW = /Invalid field type|outside the bounds|incorrect header check|invalid|RangeError|TypeError/;

beforeAll(() => server.start());
afterAll(() => server.stop());

/** Sets the field type of the `index`th entry of the first IFD (little-endian classic TIFF). */
function withFieldType(bytes: Uint8Array, index: number, type: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const ifd = view.getUint32(4, true);
  view.setUint16(ifd + 2 + index * 12 + 2, type, true);
  return out;
}

async function failure(task: () => Promise<unknown>): Promise<AppError> {
  try {
    await task();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function readFile(name: string, bytes: Uint8Array): Promise<AppError> {
  return failure(async () => {
    const tiff = await openTiff({ kind: 'file', file: new Blob([new Uint8Array(bytes)]), name });
    await readBandOnGrid(tiff, target, name, { method: 'nearest' });
  });
}

async function readUrl(name: string, bytes: Uint8Array): Promise<AppError> {
  server.files.set(`/${name}`, { bytes, behaviour: 'range' });
  return failure(async () => {
    const url = `${server.url}/${name}`;
    const tiff = await openTiff({ kind: 'url', url }, undefined, createReadContext());
    await readBandOnGrid(tiff, target, name, { method: 'nearest' });
  });
}

function expectDamaged(e: AppError, name: string, part: 'header' | 'pixel data'): void {
  expect(e.code).toBe('bad-input');
  expect(e.message).toContain(name);
  expect(e.message).toContain(`is damaged: its ${part}`);
  expect(e.message).not.toMatch(RAW);
}

describe('damaged GeoTIFFs: "this file is damaged (where)", no raw decoder message', () => {
  it('an IFD entry of field type 45315, dropped as a file', async () => {
    const e = await readFile('type.tif', withFieldType(sampleCog(), 3, 45315));
    expectDamaged(e, 'type.tif', 'header');
    expect(String((e.cause as Error | undefined)?.message)).toMatch(/Invalid field type: 45315/);
  });

  it('an IFD entry of field type 45315, over HTTP ranges', async () => {
    expectDamaged(
      await readUrl('type-url.tif', withFieldType(sampleCog(), 5, 45315)),
      'type-url.tif',
      'header',
    );
  });

  it('a file cut off inside its first image directory', async () => {
    const cog = sampleCog();
    const ifd = new DataView(cog.buffer).getUint32(4, true);
    const e = await readFile('cut.tif', cog.slice(0, ifd + 40));
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain('cut.tif');
    expect(e.message).not.toMatch(RAW);
  });

  it('a tile whose compressed bytes are garbage', async () => {
    const cog = sampleCog();
    const { offsets } = firstIfdTiles(cog);
    const bad = cog.slice();
    for (const offset of offsets) bad.fill(0xab, offset, offset + 8);
    expectDamaged(await readUrl('tile.tif', bad), 'tile.tif', 'pixel data');
  });

  it('dropped with three good bands: the damaged one is named, the scene is not half-read', async () => {
    const good = sampleCog();
    const files = ['B02', 'B03', 'B04', 'B08'].map((band) => ({
      name: `${band}.tif`,
      file: new Blob([new Uint8Array(band === 'B03' ? withFieldType(good, 4, 45315) : good)]),
    }));
    const e = await failure(() =>
      loadScene({ kind: 'files', files, convention: 'offset-1000' }, () => undefined),
    );
    expectDamaged(e, 'B03.tif', 'header');
  });

  it('embeddings whose header is damaged', async () => {
    const e = await failure(() =>
      readEmbeddingsTiff(withFieldType(sampleEmbeddings(), 2, 45315).buffer as ArrayBuffer, 'emb.tif'),
    );
    expectDamaged(e, 'emb.tif', 'header');
  });

  it('a file that is no TIFF at all (text renamed .tif, an HTML page) is said to be none', async () => {
    const text = new TextEncoder().encode('lon,lat,name\n12.1,46.5,Dolomites\n');
    for (const e of [
      await readFile('notes.tif', text),
      await readUrl('page.tif', new TextEncoder().encode('<!doctype html><title>Not found</title>')),
    ]) {
      expect(e.code).toBe('bad-input');
      expect(e.message).toMatch(/(notes|page)\.tif is not a GeoTIFF: it does not begin as a TIFF file does/);
      expect(e.message).not.toMatch(RAW);
    }
  });

  it('a message quoting a huge name is capped', async () => {
    const name = `${'x'.repeat(370_000)}.tif`;
    const e = await readFile(name, withFieldType(sampleCog(), 3, 45315));
    expect(e.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(e.message).toMatch(/more characters\)$/);
  });
});
