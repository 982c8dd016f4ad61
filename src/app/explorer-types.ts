/**
 * What the explorer reports to the UI while it works, and what it finds. Each task is a job
 * with its own controller: analysis (similarity, few-shot, clusters, PCA, change) shares one,
 * since cancelling it restarts the analysis worker.
 */
export type Task = 'load' | 'encode' | 'analysis' | 'export';

export interface Progress {
  task: Task;
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
