import { createEmbeddingGrid, type EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';

/** The embeddings of a tile read with `halo` extra pixels on each side, without them. */
export function cropHalo(grid: EmbeddingGrid, halo: number): EmbeddingGrid {
  if (halo === 0) return grid;
  const width = grid.width - 2 * halo;
  const height = grid.height - 2 * halo;
  if (width < 1 || height < 1)
    throw new AppError(
      'internal',
      `A halo of ${halo} pixels leaves nothing of a ${grid.width} x ${grid.height} grid.`,
    );
  const { dim } = grid;
  const data = new Float32Array(width * height * dim);
  const valid = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const from = (row + halo) * grid.width + halo;
    data.set(grid.data.subarray(from * dim, (from + width) * dim), row * width * dim);
    valid.set(grid.valid.subarray(from, from + width), row * width);
  }
  return createEmbeddingGrid(width, height, dim, data, valid);
}
