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

  it('a preview made for a side colours only the pixels its picture shows, and shows the same picture', () => {
    const W = 1059;
    const H = 934;
    const dim = 3;
    const data = new Float32Array(W * H * dim);
    for (let p = 0; p < W * H; p++) {
      data[p * dim] = Math.sin((p % W) / 40);
      data[p * dim + 1] = Math.cos(Math.floor(p / W) / 30);
      data[p * dim + 2] = ((p * 7919) % 101) / 101 - 0.5;
    }
    const grid = createEmbeddingGrid(W, H, dim, data, new Uint8Array(W * H).fill(1));
    const all = Uint32Array.from({ length: W * H }, (_, i) => i);
    const full = new EmbeddingPreview(W, H, dim);
    const small = new EmbeddingPreview(W, H, dim, 1, 512);
    // Batches in order, as an encode adds them: the colour scale comes from the first one.
    for (let start = 0; start < W * H; start += 32_768) {
      const batch = all.subarray(start, Math.min(W * H, start + 32_768));
      full.addBatch(grid, batch);
      small.addBatch(grid, batch);
    }
    expect([small.shownWidth, small.shownHeight]).toEqual([512, 452]);
    // A quarter of the grid's colours, not all of them.
    expect(small.rgba.length).toBe(512 * 452 * 4);
    const a = full.thumbnail(512);
    const b = small.thumbnail(512);
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    // The same pixels sampled; colours within one level (the scale comes from the shown pixels).
    let worst = 0;
    for (let i = 0; i < a.rgba.length; i++) worst = Math.max(worst, Math.abs(a.rgba[i]! - b.rgba[i]!));
    expect(worst).toBeLessThanOrEqual(6);
    expect(b.rgba.filter((_, i) => i % 4 === 3).every((alpha) => alpha === 255)).toBe(true);
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
