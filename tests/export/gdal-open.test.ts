/**
 * The exports opened by GDAL itself (what QGIS uses), when gdalinfo/ogrinfo are installed
 * (Debian: apt-get install gdal-bin). Without them these tests skip and say why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import {
  classificationAuxXml,
  classificationToGeoTiff,
  confidenceToGeoTiff,
} from '../../src/lib/export/classification-geotiff.ts';
import { clustersToGeoJson } from '../../src/lib/export/clusters-geojson.ts';
import { clustersToGeoTiff } from '../../src/lib/export/clusters-geotiff.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/embeddings-geotiff.ts';
import { placesToCsv } from '../../src/lib/export/places-csv.ts';
import { CLUSTER_PALETTE } from '../../src/lib/render/index.ts';
import { labelMap, random, utmGrid } from './helpers.ts';

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasTool('gdalinfo') && hasTool('ogrinfo');
if (!available)
  console.warn('GDAL checks skipped: gdalinfo/ogrinfo not installed (apt-get install gdal-bin)');

describe.skipIf(!available)('exports opened by GDAL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eee-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const W = 120;
  const H = 90;
  const grid = utmGrid(W, H);

  function gdalinfo(bytes: Uint8Array, name: string) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return JSON.parse(execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8' }));
  }

  it('cluster GeoTIFF: palette, nodata, description, georeference', () => {
    const info = gdalinfo(clustersToGeoTiff({ labels: labelMap(W, H, 6, 2), grid, k: 6 }), 'c.tif');
    expect(info.geoTransform).toEqual([740000, 10, 0, 5170000, 0, -10]);
    expect(info.stac['proj:epsg']).toBe(32632);
    const band = info.bands[0];
    expect(band).toMatchObject({
      type: 'Byte',
      description: 'cluster',
      noDataValue: 255,
      colorInterpretation: 'Palette',
    });
    expect(band.colorTable.entries[1]).toEqual([...(CLUSTER_PALETTE[1] ?? []), 255]);
    expect(band.metadata[''].CLUSTER_5).toBe('cluster 5');
  });

  it('classification GeoTIFF: palette, and the class names GDAL reads from its .aux.xml', () => {
    const classDefs = [
      { value: 0, name: 'water', colour: '#1f77b4' },
      { value: 1, name: 'forest & woods', colour: '#2ca02c' },
      { value: 2, name: 'rock', colour: '#7f7f7f' },
    ];
    const classes = labelMap(W, H, 3, 5);
    classes[0] = 254;
    classes[1] = 255;
    const path = join(dir, 'classes.tif');
    writeFileSync(path, classificationToGeoTiff({ classes, grid, classDefs }));
    writeFileSync(`${path}.aux.xml`, classificationAuxXml(classDefs));
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8' }));
    expect(info.geoTransform).toEqual([740000, 10, 0, 5170000, 0, -10]);
    const band = info.bands[0];
    expect(band).toMatchObject({ type: 'Byte', noDataValue: 255, colorInterpretation: 'Palette' });
    expect(band.colorTable.entries[1]).toEqual([44, 160, 44, 255]);
    // GDAL's GetCategoryNames(): entry i names raster value i (what QGIS shows in the legend).
    expect(band.categories.slice(0, 3)).toEqual(['water', 'forest & woods', 'rock']);
    expect(band.categories[254]).toBe('uncertain');
    const confidence = new Float32Array(W * H).fill(0.75);
    confidence[1] = Number.NaN;
    const conf = gdalinfo(confidenceToGeoTiff(confidence, grid), 'confidence.tif');
    expect(conf.bands[0].type).toBe('Float32');
  });

  it('int8 embeddings GeoTIFF: one band per dimension with its own scale/offset', () => {
    const rnd = random(1);
    // Band d spans [-(d + 1) * 3, (d + 1) * 3]: each gets the scale of its own range.
    const data = Float32Array.from({ length: W * H * 4 }, (_, i) => (rnd() * 2 - 1) * ((i % 4) + 1) * 3);
    data[0] = -3;
    data[4] = 3;
    const embeddings = createEmbeddingGrid(W, H, 4, data);
    const info = gdalinfo(embeddingsToGeoTiff({ embeddings, grid, encoding: 'int8' }), 'e.tif');
    expect(info.bands).toHaveLength(4);
    expect(info.bands[3]).toMatchObject({ description: 'dim_3', noDataValue: -128 });
    expect(info.bands[0].scale).toBeCloseTo(6 / 254, 12);
    expect(info.bands[0].offset).toBeCloseTo(0, 12);
    expect(info.bands[3].scale).toBeGreaterThan(info.bands[0].scale * 3.5);
    expect(info.metadata[''].EMBEDDING_QUANTISATION).toMatch(/^int8-affine-per-band: /);
  });

  it('cluster GeoJSON of pure noise: every geometry valid for GEOS', () => {
    // Pure noise: the most diagonal touches and holes a map can have.
    const rnd = random(4);
    const labels = Uint8Array.from({ length: W * H }, () => Math.floor(rnd() * 3));
    const path = join(dir, 'clusters.geojson');
    writeFileSync(path, JSON.stringify(clustersToGeoJson({ labels, grid, k: 3 })));
    const sql = 'SELECT cluster, ST_IsValid(geometry) AS valid FROM clusters';
    const out = execFileSync('ogrinfo', ['-ro', '-q', path, '-dialect', 'SQLite', '-sql', sql], {
      encoding: 'utf8',
    });
    expect(out.match(/valid \(Integer\) = 1/g)).toHaveLength(3);
  });

  it('places CSV opens as a table with its columns', () => {
    const path = join(dir, 'places.csv');
    writeFileSync(path, placesToCsv([{ index: 0, col: 3, row: 4, score: 0.5 }], grid));
    const out = execFileSync('ogrinfo', ['-ro', '-al', path], { encoding: 'utf8' });
    expect(out).toContain('rank (String) = 1');
    expect(out).toContain('score (String) = 0.5');
  });
});
