import { type GalileoMeasurement, type GalileoParams, measureGalileoVsPresto } from '../galileo-loop.ts';
import { runOrtBenchWorker } from './bench-worker.ts';

/** Bench worker of Galileo-nano against Presto and the GEMM roofline, in one WASM session setup. */
runOrtBenchWorker<GalileoParams & { galileo: Uint8Array; presto: Uint8Array }, GalileoMeasurement>(
  (ort, { galileo, presto, ...params }, sessionOptions) =>
    measureGalileoVsPresto(ort, { galileo, presto }, params, sessionOptions),
);
