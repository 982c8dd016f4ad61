/**
 * What a link or a session keeps: areas, load plans, the display state, URL state,
 * sessions and the throughput book.
 *
 * The public surface of src/lib/state/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { type Aoi, EXAMPLE_BOX, formatBBox, parseBBox, sameBox } from './area.ts';
export { defaultThreshold } from './default-threshold.ts';
export {
  completeOrder,
  DEFAULT_LAYER_ORDER,
  DEFAULT_OPACITY,
  type DisplayState,
  type LayerId,
  moveLayer,
  raiseLayer,
  type StackedLayerId,
} from './display-state.ts';
export {
  coarserOptions,
  deviceMemoryGb,
  largeAreaPixels,
  PLANNING,
  type PlannedArea,
  planLoad,
} from './load-plan.ts';
export { linkNeedsEmbeddings } from './restore-plan.ts';
export {
  defaultSessionName,
  type Session,
  sameClustering,
  sessionFromJson,
  sessionToJson,
} from './session-file.ts';
export { type SaveStatus, SessionSaver } from './session-saver.ts';
export { SessionStore } from './session-store.ts';
export { estimateTime, type RateRange, rateUnits, ThroughputBook } from './throughput.ts';
export { parseViewState, serializeViewState, type ViewState } from './url-state.ts';
