/**
 * Pixels to embeddings: encoder specs, identities and manifests, the encoders' inputs,
 * graphs and sessions (ORT injected by the caller), batching and scene encoding. The
 * onnxruntime-web loader is the separate entry `./ort.ts`, so that only the encoder worker and
 * browser benchmarks reference onnxruntime-web's builds.
 *
 * The public surface of src/lib/encoder/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export {
  type BackendChoice,
  type BackendPreference,
  chooseBackendForModel,
  chooseBackendForPixelGraph,
  probeCapabilities,
} from './capabilities.ts';
export { type EncodeProgress, encodeScene, type PixelEncoder } from './encode-scene.ts';
export { EncoderHost } from './encoder-host.ts';
export { type OrtModule, PixelEncoderSession } from './encoder-session.ts';
export type { EncoderInfo, EncoderSpec, ModelSource } from './encoder-spec.ts';
export { type EncodingPlan, planEncoding } from './encoding-plan.ts';
export type { EncoderFamily, OrtRuntime, PixelPlan } from './family.ts';
export { type GalileoInputs, galileoInputsFromPresto } from './galileo-inputs.ts';
export { GalileoSession } from './galileo-session.ts';
export {
  GALILEO_CHANNEL_COUNT,
  GALILEO_DIM,
  GALILEO_GROUPS,
  GALILEO_MAX_TIMESTEPS,
  GALILEO_NATIVE_PATCH,
  GALILEO_NORMALISATION,
} from './galileo-spec.ts';
export { type EncodedBatch, ManifestEncoder } from './manifest-encoder.ts';
export { type ModelIdentity, modelIdentity } from './model-identity.ts';
export {
  checkpointPin,
  findVariant,
  MODEL_DTYPES,
  type ModelDtype,
  type ModelManifest,
  parseModelManifest,
  sha256Hex,
  verifyModelBytes,
} from './model-manifest.ts';
export {
  MOSAIKS_OPTION,
  type ModelOption,
  modelFromFiles,
  modelFromUrl,
  type PostedOption,
  postedOption,
  revivedOption,
  SPECTRAL_OPTION,
} from './model-options.ts';
export { runnerFor, takesDates } from './model-runner.ts';
export { availableDtypes, sourceManifest, variantBytes } from './model-source.ts';
export { encodeMosaiks, type MosaiksPlan, planMosaiks } from './mosaiks.ts';
export { readNormalisedWindow } from './mosaiks-input.ts';
export { type MosaiksParams, type MosaiksRequest, resolveMosaiksParams } from './mosaiks-params.ts';
export { mosaiksReferenceEncoder } from './mosaiks-reference.ts';
export { MosaiksSession } from './mosaiks-session.ts';
export type { PatchEncoder, PatchTile } from './mosaiks-tiles.ts';
export { prestoBatchInputs } from './presto-batch.ts';
export {
  buildPrestoSceneInputs,
  buildPrestoSeriesInputs,
  type PrestoInputs,
  type ReflectanceStep,
  slicePrestoInputs,
} from './presto-inputs.ts';
export { type PrestoOrt, PrestoSession } from './presto-session.ts';
export {
  DYNAMIC_WORLD_GROUP,
  DYNAMIC_WORLD_MISSING,
  PRESTO_CHANNEL_COUNT,
  PRESTO_DIM,
  PRESTO_GROUPS,
  PRESTO_MAX_TIMESTEPS,
  PRESTO_NORMALISATION,
  type PrestoGroup,
  SRTM_GROUP,
} from './presto-spec.ts';
export { encoderFamilies, familyOf, generatedOptions } from './registry.ts';
export { buildSpectralEncoder } from './spectral-graph.ts';
export { isSpectralBand, SPECTRAL_BANDS, type SpectralBand, spectralManifest } from './spectral-manifest.ts';
export { sceneTexture } from './spectral-texture.ts';
export { planSeries, type SeriesPlan, sameGrid } from './time-series.ts';
