/**
 * The onnxruntime-web loader, a second entry of src/lib/encoder/ besides index.ts: its dynamic
 * `import('onnxruntime-web')` names the runtime's builds, which only the encoder worker (and the
 * browser benchmarks) load. Kept out of index.ts so that bundles importing encoder types and
 * helpers (the main thread, the other workers) never reference them.
 */
export { configureOrtWeb, loadOrtWeb, type OrtWebModule } from './ort-web.ts';
