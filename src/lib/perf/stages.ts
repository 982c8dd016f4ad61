/**
 * Stages of what a user waits for (scene read, encoding, similarity, drawing), as
 * `performance.measure` entries named `eee:<stage>` on the page's timeline: `npm run bench`
 * (bench/user-flow-groups.ts) reads them to say where a flow's time goes, and DevTools'
 * Performance panel shows them. Only the latest run of each stage is kept, so a long session
 * does not pile up entries.
 */
export type Stage =
  /** The scene worker's read: fetch, decode, resample, L2A scaling, the transfer back. */
  | 'scene'
  /** The start-up's read, posted at module start before the map exists (src/app/startup.ts). */
  | 'scene-read'
  /** The imagery composite (true colour, ...) of a new scene. */
  | 'composite'
  /** Looking the embeddings up in the browser's cache (hashes the reflectances). */
  | 'cache-lookup'
  /** The encoder worker's run over every pixel, batches in and out (encoder-init included). */
  | 'encode'
  /** Opening the model in the encoder worker: ONNX Runtime's WASM, the session. */
  | 'encoder-init'
  /** Writing the new embeddings to the browser's cache. */
  | 'cache-save'
  /** Handing the embeddings grid to the analysis worker. */
  | 'grid'
  /** Similarity and top-k in the analysis worker, from the click to the answer. */
  | 'analysis'
  /** From new map content to the end of the frame that draws it. */
  | 'draw';

const prefix = 'eee:';

function available(): boolean {
  return typeof performance !== 'undefined' && typeof performance.mark === 'function';
}

export function stageStart(stage: Stage): void {
  if (!available()) return;
  performance.clearMarks(`${prefix}${stage}:start`);
  performance.mark(`${prefix}${stage}:start`);
}

/** Ends a started stage (a stage never started, or already ended, is ignored). */
export function stageEnd(stage: Stage): void {
  if (!available()) return;
  const start = `${prefix}${stage}:start`;
  if (performance.getEntriesByName(start, 'mark').length === 0) return;
  performance.clearMeasures(`${prefix}${stage}`);
  performance.measure(`${prefix}${stage}`, start);
  performance.clearMarks(start);
}

/** Runs `work` as one stage; the stage ends whether it succeeds or throws. */
export async function timedStage<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
  stageStart(stage);
  try {
    return await work();
  } finally {
    stageEnd(stage);
  }
}
