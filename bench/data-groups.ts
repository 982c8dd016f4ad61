import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSyntheticPack } from '../scripts/synthetic-pack.ts';
import type { BandKey } from '../src/lib/stac/index.ts';
import { cogWindowBytes } from './cog-window.ts';
import { decodeThroughput } from './decode-pool.ts';
import type { Group, Results } from './group.ts';
import { log } from './report.ts';
import { resampleThroughput } from './resample.ts';

/** The 10 bands the encoders read plus SCL, at their native 10 m / 20 m. */
const BANDS: BandKey[] = [
  'blue',
  'green',
  'red',
  'nir',
  'rededge1',
  'rededge2',
  'rededge3',
  'nir08',
  'swir16',
  'swir22',
  'scl',
];

/**
 * Data-layer benchmarks over a synthetic Sentinel-2 tile written by the project's COG writer
 * (512 px DEFLATE tiles, internal overviews) and served over HTTP on 127.0.0.1. A full MGRS
 * tile is 109.8 km (10980 px at 10 m); to keep the set-up under a minute this one is a
 * quarter of that side, 27.45 km (2745 px at 10 m; 12 km with --quick). A 10 x 10 km read
 * touches the same number of tiles either way.
 */
export const DATA_GROUPS: Group[] = [
  {
    names: ['cog_window_bytes_10km', 'cog_window_requests_10km', 'cog_decode_pool_mbps'],
    async run(selected, s): Promise<Results> {
      const dir = await mkdtemp(path.join(tmpdir(), 'bench-s2-'));
      try {
        const sizeM = s.quick ? 12_000 : 27_450;
        const t0 = performance.now();
        await buildSyntheticPack(path.join(dir, 'tile'), [
          {
            id: 'S2A_32TQS_SYNTH',
            epsg: 32632,
            originX: 600_000,
            originY: 5_200_020,
            sizeM,
            datetime: '2022-06-10T10:00:00Z',
            cloudCover: 1,
            bands: BANDS,
          },
        ]);
        log(
          `  synthetic ${sizeM / 1000} km tile (11 COGs) written in ${Math.round(performance.now() - t0)} ms`,
        );
        const results: Results = new Map();
        if (selected.some((n) => n.startsWith('cog_window'))) {
          const [bytes, requests] = await cogWindowBytes(dir, 'tile', s.quick);
          if (selected.includes('cog_window_bytes_10km')) results.set('cog_window_bytes_10km', bytes);
          if (selected.includes('cog_window_requests_10km'))
            results.set('cog_window_requests_10km', requests);
        }
        if (selected.includes('cog_decode_pool_mbps'))
          results.set(
            'cog_decode_pool_mbps',
            await decodeThroughput(path.join(dir, 'tile', 'S2A_32TQS_SYNTH', 'B04.tif'), s.quick ? 2 : 5),
          );
        return results;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
  {
    names: ['resample_grid_mpx_s'],
    run: (_selected, s): Results => new Map([['resample_grid_mpx_s', resampleThroughput(s.quick)]]),
  },
];
