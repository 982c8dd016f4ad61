/** Checks of a COG writer request, so bad input fails with a clear AppError before any encoding. */
import { AppError } from '../../errors.ts';
import type { GeoTransform } from '../../geo/index.ts';
import { type CogData, type SampleLayout, sampleLayout } from './cog-data.ts';
import type { CogBandInfo, Palette } from './gdal-metadata.ts';
import type { OverviewResampling } from './overviews.ts';

/** The parts of a COG writer request validated here (see CogInput in cog-writer.ts). */
export interface CogRequest {
  width: number;
  height: number;
  data?: CogData;
  bands?: readonly CogData[];
  grid: { epsg: number; transform: GeoTransform };
  nodata?: number;
  overviewResampling: OverviewResampling;
  bandInfo?: readonly CogBandInfo[];
  palette?: Palette;
}

export function fail(message: string): never {
  throw new AppError('bad-input', `Cannot write GeoTIFF: ${message}`);
}

/** The bands to write: `data` alone (one band) or `bands` (one or more), never both. */
export function requestBands(input: CogRequest): readonly CogData[] {
  if (input.data !== undefined && input.bands !== undefined) fail('give either data or bands, not both.');
  const bands = input.bands ?? (input.data === undefined ? [] : [input.data]);
  if (bands.length === 0) fail('no band data given.');
  // SamplesPerPixel is a 16-bit field.
  if (bands.length > 65535) fail(`${bands.length} bands is more than a TIFF can hold (65535).`);
  return bands;
}

function validateSamples(input: CogRequest, bands: readonly CogData[], layout: SampleLayout): void {
  const { width, height } = input;
  bands.forEach((band, i) => {
    const bandLayout = sampleLayout(band);
    if (bandLayout.dataType !== layout.dataType) {
      fail(
        `band ${i + 1} is ${bandLayout.dataType} but band 1 is ${layout.dataType}; all bands need one type.`,
      );
    }
    if (band.length !== width * height) {
      const which = bands.length > 1 ? `band ${i + 1} has` : 'data has';
      fail(`${which} ${band.length} samples but ${width} x ${height} = ${width * height} were expected.`);
    }
  });
  if (input.bandInfo !== undefined && input.bandInfo.length !== bands.length) {
    fail(`bandInfo has ${input.bandInfo.length} entries for ${bands.length} bands.`);
  }
  for (const info of input.bandInfo ?? []) {
    if ([info.scale, info.offset].some((v) => v !== undefined && !Number.isFinite(v))) {
      fail('band scale and offset must be finite numbers.');
    }
  }
  if (input.palette !== undefined) {
    if (bands.length !== 1 || layout.dataType !== 'uint8') fail('a palette needs exactly one uint8 band.');
    if (input.palette.length > 256) fail(`a palette has at most 256 colours (got ${input.palette.length}).`);
    const bytes = input.palette.flat();
    if (!bytes.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
      fail('palette colours must be [r, g, b] bytes (integers 0..255).');
    }
  }
}

function validateNodata(nodata: number, layout: SampleLayout): void {
  const isFloat = layout.sampleFormat === 3;
  if (isFloat ? !Number.isFinite(nodata) && !Number.isNaN(nodata) : !Number.isInteger(nodata)) {
    fail(`nodata ${nodata} is not a valid ${layout.dataType} value.`);
  }
  if (nodata < layout.min || nodata > layout.max)
    fail(`nodata ${nodata} is out of range for ${layout.dataType}.`);
}

export function validateRequest(
  input: CogRequest,
  bands: readonly CogData[],
  layout: SampleLayout,
  tileSize: number,
): void {
  const { width, height, grid, nodata } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    fail(`width and height must be positive integers (got ${width} x ${height}).`);
  }
  validateSamples(input, bands, layout);
  if (!Number.isInteger(tileSize) || tileSize < 16 || tileSize % 16 !== 0 || tileSize > 65535) {
    fail(`tileSize must be a positive multiple of 16 (got ${tileSize}).`);
  }
  // GeoKey values are 16-bit and 32767 means "user-defined", so EPSG codes must be below it.
  if (!Number.isInteger(grid.epsg) || grid.epsg < 1024 || grid.epsg >= 32767) {
    fail(`EPSG code ${grid.epsg} cannot be written as a GeoTIFF CRS code (expected 1024..32766).`);
  }
  const t = grid.transform;
  if (![t.originX, t.originY, t.resX, t.resY].every(Number.isFinite) || t.resX <= 0 || t.resY <= 0) {
    fail('the geotransform needs finite origin and positive, finite resolutions.');
  }
  if (nodata !== undefined) validateNodata(nodata, layout);
  if (input.overviewResampling !== 'average' && input.overviewResampling !== 'nearest') {
    fail(`unknown overview resampling '${String(input.overviewResampling)}'.`);
  }
}
