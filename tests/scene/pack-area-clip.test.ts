import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../server/static-server.ts';
import { AppError } from '../../src/lib/errors.ts';
import { listScenes, loadScene } from '../../src/lib/scene/load-scene.ts';
import type { SceneProgress } from '../../src/lib/scene/scene.ts';

/**
 * A link whose bbox is larger than the pack (`?pack=…&bbox=0,40,20,50`) said "None of the
 * scenes found overlaps the chosen area" though the pack lies inside it: the area is clipped
 * to the pack. An area beside the pack says that it lies outside and where the pack is.
 */
const PACKS = path.resolve(import.meta.dirname, '../../packs');
const present = existsSync(path.join(PACKS, 'dolomites-2022-06/catalog.json'));
if (!present)
  console.warn('pack area clip tests skipped: packs/dolomites-2022-06 is absent (npm run pack:demo)');

let server: Server;
let catalogUrl = '';

describe.skipIf(!present)('an area larger than the pack is clipped to the pack', () => {
  beforeAll(async () => {
    const started = await startStaticServer({ mounts: [{ prefix: '/packs/', dir: PACKS }] });
    server = started.server;
    catalogUrl = `${started.url}/packs/dolomites-2022-06/catalog.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('the scene list of bbox=0,40,20,50 offers the pack, covering it', async () => {
    const listing = await listScenes({ kind: 'pack', catalogUrl, area: [0, 40, 20, 50] }, () => undefined);
    expect(listing.defaultIds).toEqual(['dolomites-2022-06']);
    expect(listing.scenes[0]!.coverage).toBeGreaterThan(50);
  });

  it('loading with bbox=0,40,20,50 opens the whole pack and says the area was cut', async () => {
    const messages: string[] = [];
    const big = await loadScene(
      { kind: 'pack', catalogUrl, area: [0, 40, 20, 50], resolutionM: 40 },
      (p: SceneProgress) => messages.push(p.message),
    );
    const whole = await loadScene({ kind: 'pack', catalogUrl, resolutionM: 40 }, () => undefined);
    expect([big.grid.width, big.grid.height]).toEqual([whole.grid.width, whole.grid.height]);
    expect(big.validFraction).toBeGreaterThan(0.9);
    expect(messages.some((m) => /reaches beyond the pack/.test(m))).toBe(true);
  });

  it('an area beside the pack says it lies outside and where the pack is', async () => {
    try {
      await loadScene({ kind: 'pack', catalogUrl, area: [0, 0, 1, 1], resolutionM: 40 }, () => undefined);
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('bad-input');
      expect((error as AppError).message).toMatch(/lies outside the pack .* which covers 12\.\d+, 46\.\d+/);
    }
  });
});
