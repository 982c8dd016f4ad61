/**
 * The ONNX graph builder (protobuf, no runtime).
 *
 * The public surface of src/lib/onnx/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { attr, GraphBuilder } from './graph-builder.ts';
