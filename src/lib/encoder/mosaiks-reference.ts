import type { MosaiksFilters } from './mosaiks-filters.ts';
import type { PatchGeometry } from './mosaiks-params.ts';
import { checkTile, patchesAlong } from './mosaiks-tile-shape.ts';
import type { PatchEncoder, PatchTile } from './mosaiks-tiles.ts';

/**
 * Plain-TypeScript reference of the MOSAIKS graph (float64 sums): valid convolution, ReLU of
 * +/- (response - bias), average pooling. Written for clarity and as the tests' and the
 * benchmark's baseline, not for speed. Returns dim x rows x cols values like the graph.
 */
export function mosaiksReferenceTile(
  image: Float32Array,
  bands: number,
  height: number,
  width: number,
  filters: MosaiksFilters,
  geometry: PatchGeometry,
): PatchTile {
  checkTile(image, bands, height, width, filters, geometry);
  const { kernel: k, pool, stride } = geometry;
  const K = filters.count;
  const rh = height - k + 1;
  const rw = width - k + 1;
  const rows = patchesAlong(height, geometry);
  const cols = patchesAlong(width, geometry);
  const out = new Float32Array(2 * K * rows * cols);
  const response = new Float64Array(rh * rw);
  for (let f = 0; f < K; f++) {
    response.fill(0);
    for (let b = 0; b < bands; b++) {
      for (let dy = 0; dy < k; dy++) {
        for (let dx = 0; dx < k; dx++) {
          const w = filters.weights[((f * bands + b) * k + dy) * k + dx]!;
          for (let y = 0; y < rh; y++) {
            const src = (b * height + y + dy) * width + dx;
            const dst = y * rw;
            for (let x = 0; x < rw; x++) response[dst + x]! += w * image[src + x]!;
          }
        }
      }
    }
    const bias = filters.bias[f]!;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let positive = 0;
        let negative = 0;
        for (let y = i * stride; y < i * stride + pool; y++) {
          for (let x = j * stride; x < j * stride + pool; x++) {
            const r = response[y * rw + x]!;
            positive += Math.max(r - bias, 0);
            negative += Math.max(-r - bias, 0);
          }
        }
        out[(f * rows + i) * cols + j] = positive / (pool * pool);
        out[((K + f) * rows + i) * cols + j] = negative / (pool * pool);
      }
    }
  }
  return { data: out, rows, cols };
}

/** The reference as a PatchEncoder, so it runs through the same tiling as the ONNX session. */
export function mosaiksReferenceEncoder(filters: MosaiksFilters, geometry: PatchGeometry): PatchEncoder {
  return {
    encodeTile: async (image, bands, height, width) =>
      mosaiksReferenceTile(image, bands, height, width, filters, geometry),
  };
}
