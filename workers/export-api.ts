import type { ExportJob, ExportOutput } from '../src/lib/export/index.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

// The job types live in src/lib/export; re-exported for code written against this file.
export type { ExportJob, ExportOutput };

/** The export worker (analysis results -> files), as both sides see it through comlink. */
export interface ExportWorkerApi {
  /** `onProgress` (a Comlink proxy): steps done of all, for files that take seconds to write. */
  run(
    job: ExportJob,
    onProgress?: (done: number, total: number) => void,
  ): Promise<WorkerResult<ExportOutput>>;
}
