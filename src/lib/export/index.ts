/**
 * Files from what is on screen: GeoTIFF, GeoJSON, CSV and PNG writers, file names and
 * provenance metadata, and the export job types the export worker runs.
 *
 * The public surface of src/lib/export/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { classificationToGeoJson } from './classification-geojson.ts';
export {
  classificationAuxXml,
  classificationToGeoTiff,
  confidenceToGeoTiff,
  hexToRgb,
} from './classification-geotiff.ts';
export {
  type AccuracyReport,
  accuracyReport,
  accuracyReportCsv,
  classAreas,
} from './classification-report.ts';
export { clustersToGeoJson } from './clusters-geojson.ts';
export { clustersAuxXml, clustersToGeoTiff } from './clusters-geotiff.ts';
export { downloadFile } from './download.ts';
export { type EmbeddingEncoding, embeddingsToGeoTiff } from './embeddings-geotiff.ts';
export type { ExportJob, ExportOutput } from './export-job.ts';
export { type ExportProvenance, modelTag, provenanceMetadata } from './export-metadata.ts';
export { exportFileName } from './file-names.ts';
export { placesToCsv } from './places-csv.ts';
export { placesToGeoJson } from './places-geojson.ts';
export { similarityToGeoTiff } from './similarity-geotiff.ts';
export { composeSnapshot, type SnapshotLegend } from './snapshot-png.ts';
export { thresholdToGeoJson } from './threshold-geojson.ts';
