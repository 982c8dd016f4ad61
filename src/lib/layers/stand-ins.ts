import type { Corners } from './layer-specs.ts';
import type { ScoreRaster } from './score-layer.ts';

type Corner = Corners[number];

/**
 * Scores that are all "no score" (NaN), of the imagery's size: the similarity layer's stand-in
 * before the first click. Its texture is allocated, uploaded and drawn (over a few pixels,
 * transparent) while the user looks at the scene; the first query's scores on a grid of that
 * size are then written into it (ScoreLayer reuses a texture of the same size).
 */
let warmUpRaster: ScoreRaster | undefined;
export function warmUpScores(width: number, height: number): ScoreRaster {
  if (warmUpRaster?.width !== width || warmUpRaster.height !== height)
    warmUpRaster = { values: new Float32Array(width * height).fill(Number.NaN), width, height };
  return warmUpRaster;
}

/** A box at the raster's top-left corner, 1/100 of its sides: a few screen pixels. */
export function warmUpBounds(c: Corners): [Corner, Corner, Corner, Corner] {
  const at = (u: number, v: number): Corner => [
    c[0][0] + (c[1][0] - c[0][0]) * u + (c[3][0] - c[0][0]) * v,
    c[0][1] + (c[1][1] - c[0][1]) * u + (c[3][1] - c[0][1]) * v,
  ];
  // deck.gl's order: bottom-left, top-left, top-right, bottom-right.
  return [at(0, 0.01), at(0, 0), at(0.01, 0), at(0.01, 0.01)];
}
