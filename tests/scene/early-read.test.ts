import { describe, expect, it } from 'vitest';
import type { SceneProgress, SceneRequest } from '../../src/lib/scene/index.ts';
import { EarlyRead } from '../../workers/early-read.ts';

const pack = (catalogUrl: string): SceneRequest => ({ kind: 'pack', catalogUrl });
const step = (message: string): SceneProgress => ({ stage: 'read', done: 1, total: 5, message });

describe('EarlyRead: the start-up read, adopted by the load of the same request', () => {
  it('hands its answer and the progress said so far to a load of the same request', async () => {
    const early = new EarlyRead<string>();
    let finish: (v: string) => void = () => undefined;
    early.result = new Promise<string>((done) => {
      finish = done;
    });
    early.onProgress(step('Opened the scene'));
    early.settle(pack('http://x/packs/a/catalog.json'));
    const heard: string[] = [];
    const adopted = early.adopt(pack('http://x/packs/a/catalog.json'), (p) => heard.push(p.message));
    await Promise.resolve();
    early.onProgress(step('Read band red'));
    finish('scene a');
    expect(await adopted).toBe('scene a');
    expect(heard).toEqual(['Opened the scene', 'Read band red']);
  });

  it('waits for the pack index before comparing, and declines another request', async () => {
    const early = new EarlyRead<string>();
    early.result = Promise.resolve('scene a');
    const other = early.adopt(pack('http://x/packs/b/catalog.json'), () => undefined);
    const same = early.adopt(pack('http://x/packs/a/catalog.json'), () => undefined);
    early.settle(pack('http://x/packs/a/catalog.json'));
    expect(await other).toBeUndefined();
    expect(await same).toBe('scene a');
  });

  it('declines a load of another kind at once, without waiting for the pack index', async () => {
    const early = new EarlyRead<string>();
    early.result = Promise.resolve('scene a');
    // The index never answers here: a files or STAC load must not wait on it.
    const files: SceneRequest = { kind: 'files', files: [] };
    expect(await early.adopt(files, () => undefined)).toBeUndefined();
  });

  it('declines every load when the index failed or lacked the pack', async () => {
    const early = new EarlyRead<string>();
    early.result = Promise.resolve('failed');
    early.settle(undefined);
    expect(await early.adopt(pack('http://x/packs/a/catalog.json'), () => undefined)).toBeUndefined();
  });
});
