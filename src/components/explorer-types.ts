/** What the explorer reports to the UI while it works, and what it finds. */
export type Task = 'load' | 'encode' | 'cluster' | 'similarity' | 'export';

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
