/**
 * What an exported file says about itself: the model and resolution of the embeddings it was
 * computed from, the scene's date and where the scene came from. File names carry the short
 * form (MOSAIKS at 40 m and Presto at 10 m no longer give the same name), GeoTIFFs the long
 * one as GDAL dataset metadata (gdalinfo lists it; QGIS shows it under Information).
 */
import type { GridSpec } from '../geo/index.ts';

export interface ExportProvenance {
  /** The encoder of the embeddings behind the file (absent before any embeddings). */
  model?: { id: string; name: string; sha256?: string | undefined } | undefined;
  /** The grid of the file: its pixel size is the resolution. */
  grid?: GridSpec | undefined;
  scene?: { id: string; title: string; datetime: string } | undefined;
  /** Where the scene came from, for people: "pack dolomites-2022-06", "files B02.tif, …". */
  source?: string | undefined;
}

/** "40m", or "0.0001deg" for a grid in degrees; undefined without a grid. */
export function resolutionTag(grid: GridSpec | undefined): string | undefined {
  if (!grid) return undefined;
  const res = grid.transform.resX;
  return grid.epsg === 4326 ? `${Number(res.toPrecision(3))}deg` : `${Number(res.toFixed(2))}m`;
}

/** The model and resolution as a file name part: "mosaiks-40m"; the resolution alone before embeddings. */
export function modelTag(p: ExportProvenance): string | undefined {
  const parts = [p.model?.id, resolutionTag(p.grid)].filter((x): x is string => !!x);
  return parts.length ? parts.join('-') : undefined;
}

/** GDAL dataset metadata (TIFFTAG GDAL_METADATA): MODEL, RESOLUTION, DATETIME, SOURCE, SCENE_ID. */
export function provenanceMetadata(p: ExportProvenance): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.model) {
    out.MODEL = p.model.id;
    out.MODEL_NAME = p.model.name;
    if (p.model.sha256) out.MODEL_SHA256 = p.model.sha256;
  }
  if (p.grid) {
    const res = p.grid.transform.resX;
    out.RESOLUTION = p.grid.epsg === 4326 ? `${res} deg` : `${Number(res.toFixed(3))} m`;
    if (p.grid.epsg !== 4326) out.RESOLUTION_M = String(Number(res.toFixed(3)));
  }
  if (p.scene?.datetime) out.DATETIME = p.scene.datetime;
  if (p.scene) {
    out.SCENE_ID = p.scene.id;
    out.SCENE_TITLE = p.scene.title;
  }
  if (p.source) out.SOURCE = p.source;
  out.SOFTWARE = 'Earth Embedding Explorer';
  return out;
}
