import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';

/** Picked pixels: what the user wants (positives) and, optionally, what they do not. */
export interface QueryPicks {
  positives: readonly number[];
  negatives?: readonly number[];
}

function addUnit(grid: EmbeddingGrid, index: number, into: Float64Array, sign: number, role: string): void {
  const { dim, data, valid } = grid;
  if (!Number.isInteger(index) || index < 0 || index >= grid.width * grid.height) {
    throw new AppError(
      'bad-input',
      `The ${role} pixel ${index} is outside the ${grid.width}x${grid.height} grid.`,
    );
  }
  if (valid[index] === 0) {
    throw new AppError(
      'bad-input',
      `A ${role} pick has no embedding (nodata or masked); pick another place.`,
    );
  }
  let ss = 0;
  for (let d = 0; d < dim; d++) ss += data[index * dim + d]! ** 2;
  if (!(ss > 0))
    throw new AppError('bad-input', `A ${role} pick has an all-zero embedding; pick another place.`);
  const inv = sign / Math.sqrt(ss);
  for (let d = 0; d < dim; d++) into[d]! += data[index * dim + d]! * inv;
}

/**
 * The query vector for similarity search: the mean of the unit-normalised positive picks,
 * minus the mean of the unit-normalised negatives when there are any (few-shot: "like these,
 * unlike those"). One positive gives that pixel's own direction, so cosine similarity to it
 * is exactly similarity to the clicked pixel.
 */
export function queryVector(grid: EmbeddingGrid, picks: QueryPicks): Float32Array {
  const { positives, negatives = [] } = picks;
  if (positives.length === 0) throw new AppError('bad-input', 'Pick at least one place to search for.');
  const pos = new Float64Array(grid.dim);
  const neg = new Float64Array(grid.dim);
  for (const index of positives) addUnit(grid, index, pos, 1, 'positive');
  for (const index of negatives) addUnit(grid, index, neg, 1, 'negative');
  const query = new Float32Array(grid.dim);
  let ss = 0;
  for (let d = 0; d < grid.dim; d++) {
    const v = pos[d]! / positives.length - (negatives.length > 0 ? neg[d]! / negatives.length : 0);
    query[d] = v;
    ss += v * v;
  }
  if (!(ss > 1e-12)) {
    throw new AppError('bad-input', 'The positive and negative picks cancel out; pick places that differ.');
  }
  return query;
}
