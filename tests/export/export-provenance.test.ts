/**
 * Issue 14, item 9: exports that explain themselves. File names name the encoder and the
 * resolution; GeoTIFFs carry model, resolution, date and source as GDAL metadata; cluster
 * names become GDAL category names, numbered as the app numbers clusters (their values).
 * The GDAL half runs when gdalinfo is installed (apt-get install gdal-bin), else skips and says so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sceneFileName } from '../../src/app/explorer-exports.ts';
import { clustersAuxXml, clustersToGeoTiff } from '../../src/lib/export/clusters-geotiff.ts';
import { type ExportProvenance, modelTag, provenanceMetadata } from '../../src/lib/export/export-metadata.ts';
import { similarityToGeoTiff } from '../../src/lib/export/similarity-geotiff.ts';
import { defaultClusterName } from '../../src/lib/render/index.ts';
import { labelMap, utmGrid } from './helpers.ts';

const scene = { id: 'dolomites-2022-06', title: 'Dolomites, June 2022', datetime: '2022-06-01T10:15:59Z' };
const at = (resM: number) => ({
  ...utmGrid(10, 10),
  transform: { ...utmGrid(10, 10).transform, resX: resM, resY: resM },
});
const mosaiks: ExportProvenance = {
  model: { id: 'mosaiks', name: 'MOSAIKS' },
  grid: at(40),
  scene,
  source: 'pack dolomites-2022-06',
};
const presto: ExportProvenance = {
  model: { id: 'presto', name: 'Presto', sha256: 'ab'.repeat(32) },
  grid: at(10),
  scene,
  source: 'pack dolomites-2022-06',
};

describe('export file names name the model and resolution', () => {
  it('MOSAIKS and Presto clusters of one scene no longer share a name', () => {
    const a = sceneFileName(scene, 'clusters', 'tif', 'k5', modelTag(mosaiks));
    const b = sceneFileName(scene, 'clusters', 'tif', 'k5', modelTag(presto));
    expect(a).toBe('clusters_k5_mosaiks-40m_dolomites-2022-06_2022-06-01.tif');
    expect(b).toBe('clusters_k5_presto-10m_dolomites-2022-06_2022-06-01.tif');
  });

  it('before embeddings the resolution alone; a grid in degrees says so', () => {
    expect(modelTag({ grid: at(20) })).toBe('20m');
    expect(
      modelTag({ grid: { ...at(10), epsg: 4326, transform: { ...at(10).transform, resX: 0.0001 } } }),
    ).toBe('0.0001deg');
    expect(modelTag({})).toBeUndefined();
  });

  it('metadata names the model, resolution, date, scene and source', () => {
    expect(provenanceMetadata(presto)).toMatchObject({
      MODEL: 'presto',
      MODEL_NAME: 'Presto',
      MODEL_SHA256: 'ab'.repeat(32),
      RESOLUTION: '10 m',
      RESOLUTION_M: '10',
      DATETIME: '2022-06-01T10:15:59Z',
      SCENE_ID: 'dolomites-2022-06',
      SOURCE: 'pack dolomites-2022-06',
    });
  });

  it('the app names clusters by their values in the file', () => {
    expect(defaultClusterName(0)).toBe('cluster 0');
    expect(clustersAuxXml(2, ['water & ice', 'forest'])).toContain('<Category>water &amp; ice</Category>');
  });
});

function hasGdal(): boolean {
  try {
    execFileSync('gdalinfo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const gdal = hasGdal();
if (!gdal)
  console.warn('GDAL checks of export metadata skipped: gdalinfo not installed (apt-get install gdal-bin)');

describe.skipIf(!gdal)('GDAL reads what the exports say about themselves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eee-provenance-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const grid = at(40);
  const info = (path: string) => JSON.parse(execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8' }));

  it('cluster GeoTIFF: dataset metadata, and category names numbered as the app numbers clusters', () => {
    const names = ['pasture', 'forest', defaultClusterName(2)];
    const labels = labelMap(10, 10, 3, 1);
    const path = join(dir, 'clusters.tif');
    writeFileSync(
      path,
      clustersToGeoTiff({ labels, grid, k: 3, names, metadata: provenanceMetadata(mosaiks) }),
    );
    writeFileSync(`${path}.aux.xml`, clustersAuxXml(3, names));
    const read = info(path);
    expect(read.metadata['']).toMatchObject({
      MODEL: 'mosaiks',
      RESOLUTION_M: '40',
      DATETIME: '2022-06-01T10:15:59Z',
      SOURCE: 'pack dolomites-2022-06',
    });
    const band = read.bands[0];
    expect(band.categories).toEqual(['pasture', 'forest', 'cluster 2']);
    // Value 1 in the file is "forest", the legend's cluster 1.
    expect(band.metadata[''].CLUSTER_1).toBe('forest');
    expect(read.geoTransform[1]).toBe(40);
  });

  it('similarity GeoTIFF carries the same metadata', () => {
    const path = join(dir, 'similarity.tif');
    const scores = new Float32Array(100).fill(0.5);
    writeFileSync(
      path,
      similarityToGeoTiff({ scores, grid, query: { col: 1, row: 2 }, metadata: provenanceMetadata(presto) }),
    );
    expect(info(path).metadata['']).toMatchObject({
      MODEL: 'presto',
      RESOLUTION: '10 m',
      SCENE_ID: 'dolomites-2022-06',
    });
  });
});
