/** One draw of the ScoreLayer test page (score-layer-page.ts). */
export interface ScoreDrawRequest {
  /** Row-major scores of a `width` x `height` raster; null stands for NaN (no score). */
  scores: (number | null)[];
  width: number;
  height: number;
  threshold: number;
  high: number;
  /**
   * 'score': the ScoreLayer on the GPU; 'image': the CPU path it replaces, similarityToRgba's
   * RGBA as an ImageData in a BitmapLayer, drawn the same way.
   */
  path: 'score' | 'image';
}

export interface ScoreDrawReply {
  /** RGBA read back at each texel's centre, row-major, texel (0, 0) at the top left. */
  texels: number[][];
  /** r32float textures the layer created so far on this page. */
  floatTextures: number;
  /** Score uploads so far (new scores written, into a new texture or the one there). */
  uploads: number;
  renderer: string;
}
