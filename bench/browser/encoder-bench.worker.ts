import { type EncodeMeasurement, type EncodeParams, measureSpectralEncode } from '../encode-loop.ts';
import { runOrtBenchWorker } from './bench-worker.ts';

/** Bench worker of the spectral encoder: the measurement bench/spectral-node.ts runs on node. */
runOrtBenchWorker<EncodeParams, EncodeMeasurement>((ort, params, sessionOptions) =>
  measureSpectralEncode(ort, params, sessionOptions),
);
