import type { EmbeddingGrid } from '../embeddings/index.ts';
import { mulberry32 } from '../math/index.ts';

/**
 * A live picture of the embeddings while they are computed: each encoded pixel is coloured
 * by three fixed random projections of its embedding, so similar embeddings get similar
 * colours long before PCA can run (PCA needs them all). Costs 3 x dim per pixel, once.
 */
export class EmbeddingPreview {
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
  private readonly axes: Float32Array;
  /** Projection value mapped to full colour swing; set from the first batch's spread. */
  private scale: number | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly dim: number,
    seed = 1,
  ) {
    this.rgba = new Uint8ClampedArray(width * height * 4);
    const random = mulberry32(seed);
    this.axes = new Float32Array(3 * dim);
    for (let a = 0; a < 3; a++) {
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        const v = random() * 2 - 1;
        this.axes[a * dim + d] = v;
        norm += v * v;
      }
      for (let d = 0; d < dim; d++) this.axes[a * dim + d]! /= Math.sqrt(norm);
    }
  }

  /** Colours the pixels at `indices`, whose embeddings the grid now holds. */
  addBatch(grid: EmbeddingGrid, indices: Uint32Array): void {
    const { dim, axes } = this;
    const projected = new Float32Array(indices.length * 3);
    for (let i = 0; i < indices.length; i++) {
      const base = indices[i]! * dim;
      for (let a = 0; a < 3; a++) {
        let sum = 0;
        for (let d = 0; d < dim; d++) sum += grid.data[base + d]! * axes[a * dim + d]!;
        projected[i * 3 + a] = sum;
      }
    }
    if (this.scale === undefined) {
      let sq = 0;
      for (const v of projected) sq += v * v;
      this.scale = 2.5 * Math.sqrt(sq / Math.max(1, projected.length)) || 1;
    }
    for (let i = 0; i < indices.length; i++) {
      const o = indices[i]! * 4;
      for (let a = 0; a < 3; a++) this.rgba[o + a] = 128 + (127 * projected[i * 3 + a]!) / this.scale;
      this.rgba[o + 3] = 255;
    }
  }

  /**
   * The colours so far, sampled (nearest pixel) down to at most `maxSide` on the longer side:
   * what a progress preview needs, a fraction of the scene's bytes.
   */
  thumbnail(maxSide: number): { rgba: Uint8ClampedArray<ArrayBuffer>; width: number; height: number } {
    const { width: W, height: H } = this;
    const scale = Math.min(1, maxSide / Math.max(W, H));
    const width = Math.max(1, Math.round(W * scale));
    const height = Math.max(1, Math.round(H * scale));
    const rgba = new Uint8ClampedArray(width * height * 4);
    const source = new Uint32Array(this.rgba.buffer);
    const target = new Uint32Array(rgba.buffer);
    for (let y = 0; y < height; y++) {
      const row = Math.min(H - 1, Math.floor(((y + 0.5) * H) / height)) * W;
      for (let x = 0; x < width; x++)
        target[y * width + x] = source[row + Math.min(W - 1, Math.floor(((x + 0.5) * W) / width))]!;
    }
    return { rgba, width, height };
  }
}
