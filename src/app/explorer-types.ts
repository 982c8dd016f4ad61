/**
 * What the explorer reports to the UI while it works, and what it finds. Each task is a job
 * with its own controller: analysis (similarity, few-shot, clusters, PCA, change) shares one,
 * since cancelling it restarts the analysis worker.
 */
export type Task = 'load' | 'encode' | 'analysis' | 'export';

/**
 * Where a job's progress bar and Cancel show: beside the control that started it (Compute,
 * Cluster, Compare, Export), so the user sees them where they clicked.
 */
export type ProgressPlace = 'source' | 'embeddings' | 'similarity' | 'clusters' | 'change' | 'export';

/**
 * Where each task's progress shows unless its run says otherwise; a task not named here shows
 * under the source panel, at the top (progressPlace).
 */
const DEFAULT_PROGRESS_PLACE: Readonly<Partial<Record<Task, ProgressPlace>>> = {
  load: 'source',
  encode: 'embeddings',
  analysis: 'similarity',
  export: 'export',
};

/** The default place of a task's progress. */
export function progressPlace(task: Task): ProgressPlace {
  return DEFAULT_PROGRESS_PLACE[task] ?? 'source';
}

export interface Progress {
  task: Task;
  place: ProgressPlace;
  label: string;
  done: number;
  total: number;
  unit: string;
}

export interface RankedPlace {
  rank: number;
  col: number;
  row: number;
  lon: number;
  lat: number;
  score: number;
}
