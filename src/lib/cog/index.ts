/**
 * GeoTIFF reading (range reads, windows, overviews, the `RangeStore` interface the cache
 * implements) and the project's COG writer (`writer/`).
 *
 * The public surface of src/lib/cog/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { type ImageGeoref, imageGeoref, imagePyramid } from './georef.ts';
export { checkReadable } from './guards.ts';
export { openTiff } from './open-tiff.ts';
export { fileVersion, type RangeStore, type StoredRange, type TileKey } from './range-store.ts';
export { MAX_GRID_PIXELS, readBandOnGrid } from './read-band.ts';
export { createReadContext, type ReadContext, type ReadStats } from './read-context.ts';
export { type ResampleMethod, resampleToGrid, type SourceBlock, sampleBlock } from './resample.ts';
export { damagedTiff, notATiff, tiffError } from './tiff-error.ts';
export { checkTiffStructure } from './tiff-structure.ts';
export { chooseLevel, gridForArea, type PixelWindow, sourceWindow } from './window.ts';
export { type CogData, sampleLayout } from './writer/cog-data.ts';
export { type CogInput, writeCog } from './writer/cog-writer.ts';
export { type CogBandInfo, gdalMetadataXml, type Palette } from './writer/gdal-metadata.ts';
export type { OverviewResampling } from './writer/overviews.ts';
export {
  ifdByteLength,
  TIFF_ASCII,
  TIFF_DOUBLE,
  TIFF_LONG,
  TIFF_SHORT,
  type TiffTag,
  writeIfd,
} from './writer/tiff-tags.ts';
