import { measurePrestoEncode, type PrestoMeasurement, type PrestoParams } from '../presto-loop.ts';
import { runOrtBenchWorker } from './bench-worker.ts';

/** Bench worker of Presto: the loop bench/presto-node.ts runs on node, on the model it was sent. */
runOrtBenchWorker<PrestoParams & { model: Uint8Array }, PrestoMeasurement>(
  (ort, { model, ...params }, sessionOptions) => measurePrestoEncode(ort, model, params, sessionOptions),
);
