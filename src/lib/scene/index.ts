/**
 * A scene's pixels: finding and loading scenes (STAC items, packs, dropped files and their
 * facts), L2A scale/offset, the SCL mask, load resolutions, and the `SceneStore` interface.
 *
 * The public surface of src/lib/scene/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { parseBandList } from './band-names.ts';
export { downsampleScene } from './downsample.ts';
export { CONVENTION_UNKNOWN, fileFacts } from './file-facts.ts';
export { givenDateGroups, groupFilesByDate, type InspectedFile } from './file-groups.ts';
export { inspectTiff } from './file-inspect.ts';
export { DEFAULT_SCL_MASK, SCL_CLASSES } from './l2a.ts';
export { loadItemScene, SCENE_BANDS } from './load-item.ts';
export {
  checkLoadResolution,
  DEFAULT_LOAD_RESOLUTION,
  effectivePixelM,
  isLoadResolution,
  LOAD_RESOLUTIONS,
  type LoadResolution,
  loadLattice,
} from './load-resolution.ts';
export { listScenes, loadScene, type SceneListing } from './load-scene.ts';
export { boxWithin } from './pack-area.ts';
export { type PackExtent, packExtent } from './pack-extent.ts';
export { listPacks } from './pack-index.ts';
export { type PackEntry, type PackStartPlan, packStartRequest, sceneRequestKey } from './pack-start.ts';
export type {
  DnConvention,
  DroppedFile,
  Scene,
  SceneListRequest,
  SceneProgress,
  SceneRequest,
} from './scene.ts';
export { sceneGrid } from './scene-grid.ts';
export type { SceneStore } from './scene-store.ts';
export { YEARLY_MAX_DATES, YEARLY_MONTHS, type YearlyCadence, yearlyMonths } from './series-items.ts';
export { canShareMemory, shareScene } from './shared-scene.ts';
export { looksLikeScaledIntegers, valueRange } from './value-range.ts';
