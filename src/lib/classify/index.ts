/**
 * Classifiers on embeddings: classes and labels (`classes` is the class-list editing
 * namespace the classify store and panel use), label files and links, kNN (JS and WASM),
 * logistic regression, spatial cross-validation, metrics and the classification pipeline.
 *
 * The public surface of src/lib/classify/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export * as classes from './classes.ts';
export { addClass, emptyLabelState } from './classes.ts';
export { knnPredict, knnPredictJs, trainKnn } from './knn.ts';
export { wasmKnnAvailable } from './knn-wasm.ts';
export {
  importCsvLabels,
  importGeoJsonLabels,
  labelsToCsv,
  labelsToGeoJson,
  type RowError,
} from './label-files.ts';
export { labelsFromLink, labelsToLink } from './label-link.ts';
export { addLabels, edit, historyOf, type LabelHistory, redo, removeLabels, undo } from './labels.ts';
export type { CurvePoint } from './learning-curve.ts';
export { type ClassifierModel, type ClassMap, classifyGrid, train, withUncertain } from './model.ts';
export {
  type ClassifyRequest,
  type ClassifyStage,
  prepareClassification,
  runClassification,
} from './pipeline.ts';
export { joinClassMaps, predictionThreads, rangeGrid, splitPixels } from './predict-ranges.ts';
export type { ClassArea, ClassifyGrid, ClassifyResult, ThresholdView } from './results.ts';
export { labelsFromSession, labelsToSession } from './session-labels.ts';
export { type CvResult, crossValidate, defaultBlockSize } from './spatial-cv.ts';
export { suggestLabels } from './suggest.ts';
export { buildTrainingSet } from './training-set.ts';
export {
  type ClassifierSpec,
  DEFAULT_KNN,
  DEFAULT_LOGREG,
  type LabelGeometry,
  type LabelState,
  type LogRegSpec,
  type TrainingSet,
} from './types.ts';
