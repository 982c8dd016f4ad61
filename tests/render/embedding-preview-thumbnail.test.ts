import { describe, expect, it } from 'vitest';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { EmbeddingPreview } from '../../src/lib/render/embedding-preview.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { shareScene } from '../../src/lib/scene/index.ts';

describe('progress thumbnails and shared scenes (pixels off the main thread)', () => {
  it('a thumbnail keeps the preview colours, sampled down to the longest side asked for', () => {
    const W = 1000;
    const H = 500;
    const dim = 2;
    const data = new Float32Array(W * H * dim);
    // Left half one embedding, right half its opposite: two distinct colours.
    for (let p = 0; p < W * H; p++) data[p * dim] = p % W < W / 2 ? 1 : -1;
    const grid = createEmbeddingGrid(W, H, dim, data, new Uint8Array(W * H).fill(1));
    const preview = new EmbeddingPreview(W, H, dim);
    preview.addBatch(
      grid,
      Uint32Array.from({ length: W * H }, (_, i) => i),
    );
    const t = preview.thumbnail(100);
    expect([t.width, t.height]).toEqual([100, 50]);
    expect(t.rgba.length).toBe(100 * 50 * 4);
    const at = (rgba: Uint8ClampedArray, w: number, x: number, y: number) =>
      Array.from(rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 4));
    expect(at(t.rgba, 100, 10, 20)).toEqual(at(preview.rgba, W, 105, 410));
    expect(at(t.rgba, 100, 90, 20)).toEqual(at(preview.rgba, W, 905, 410));
    expect(at(t.rgba, 100, 10, 20)).not.toEqual(at(t.rgba, 100, 90, 20));
    // A preview smaller than the side asked for is returned at its own size.
    expect(preview.thumbnail(4096)).toMatchObject({ width: W, height: H });
  });

  it('shareScene puts bands and mask in shared memory with the same values', () => {
    const scene = {
      reflectance: [Float32Array.of(0.1, Number.NaN, 0.3)],
      valid: Uint8Array.of(1, 0, 1),
    } as unknown as Scene;
    const shared = shareScene(scene);
    expect(shared.reflectance[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.valid.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.reflectance[0]!)).toEqual(Array.from(scene.reflectance[0]!));
    expect(Array.from(shared.valid)).toEqual([1, 0, 1]);
    // Already shared: kept as it is, no second copy.
    expect(shareScene(shared).reflectance[0]).toBe(shared.reflectance[0]);
  });
});
