import { type MosaiksBenchParams, type MosaiksMeasurement, measureMosaiksOrt } from '../mosaiks-loop.ts';
import { runOrtBenchWorker } from './bench-worker.ts';

/** Bench worker of the MOSAIKS patch encoder: the loop bench/mosaiks-node.ts runs on node. */
runOrtBenchWorker<MosaiksBenchParams, MosaiksMeasurement>((ort, params, sessionOptions) =>
  measureMosaiksOrt(ort, params, sessionOptions),
);
