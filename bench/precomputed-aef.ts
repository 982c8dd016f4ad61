import { aefFixture, BASE_PATH } from '../scripts/aef-fixture/build-aef-fixture.ts';
import { startStaticServer } from '../server/static-server.ts';
import { cosineSimilarity, queryVector } from '../src/lib/analysis/index.ts';
import type { GridSpec } from '../src/lib/geo/index.ts';
import { aefProduct, clearIndexCache } from '../src/lib/precomputed/index.ts';
import type { Group, Results } from './group.ts';
import { log, median } from './report.ts';

const NAMES = ['aef_bytes_per_km2', 'aef_requests_per_km2', 'aef_read_to_similarity_1m_s'];

/**
 * AlphaEarth reads over the fixtures (byte-faithful to the product: 64 int8 bands, zstd,
 * 256 px blocks, bottom-up rows, overviews; 512 px tiles instead of 8192) served by the
 * project's static server on 127.0.0.1: a 10 x 10 km area at 10 m (1,000,000 pixels; 3 x 3 km
 * with --quick) across four tiles of zone 32N and the zone-33N tiles past 12°E, mosaicked on
 * zone 32's grid. Bytes and requests are set against the estimate from the file headers (the
 * compressed blocks the area touches); the time from "read" to a similarity map against the
 * similarity alone.
 */
export const PRECOMPUTED_AEF_GROUPS: Group[] = [
  {
    names: NAMES,
    async run(selected, s): Promise<Results> {
      const t0 = performance.now();
      const fx = await aefFixture();
      log(`  AlphaEarth fixtures ready in ${Math.round(performance.now() - t0)} ms (${fx.root})`);
      const { server, url } = await startStaticServer({ mounts: [{ prefix: '/', dir: fx.root }] });
      try {
        const t = fx.tiles.find((x) => x.zone === '32N' && x.row === 0 && x.col === 0)!;
        const side = s.quick ? 300 : 1000;
        const grid: GridSpec = {
          width: side,
          height: side,
          epsg: 32632,
          transform: { originX: t.west + 120, originY: t.north - 120, resX: 10, resY: 10 },
        };
        const km2 = (side * side * 100) / 1e6;
        const request = { family: 'aef' as const, baseUrl: url + BASE_PATH, year: 2022, grid };
        const estimate = await aefProduct.estimate(request);
        const runs = s.quick ? 1 : 3;
        const totals: number[] = [];
        const reads: number[] = [];
        const sims: number[] = [];
        let fetched = { requests: 0, bytes: 0 };
        let valid = 0;
        for (let r = 0; r < runs; r++) {
          clearIndexCache(); // each run finds its tiles in the index again, as a first visit does
          const start = performance.now();
          const result = await aefProduct.read(request);
          const read = performance.now();
          const e = result.embeddings;
          const centre = (side >> 1) * side + (side >> 1);
          cosineSimilarity(e, queryVector(e, { positives: [centre] }));
          const end = performance.now();
          totals.push((end - start) / 1000);
          reads.push((read - start) / 1000);
          sims.push((end - read) / 1000);
          fetched = result.fetched;
          valid = e.valid.reduce((n, v) => n + v, 0) / e.valid.length;
        }
        const results: Results = new Map();
        const common = { pixels: side * side, area_km2: km2, files: estimate.files, valid_fraction: valid };
        if (selected.includes('aef_bytes_per_km2'))
          results.set('aef_bytes_per_km2', {
            unit: 'bytes/km²',
            value: fetched.bytes / km2,
            baseline: {
              name: 'compressed blocks the area touches + headers (estimate)',
              value: estimate.bytes / km2,
              unit: 'bytes/km²',
            },
            ratio: fetched.bytes / estimate.bytes,
            ratio_meaning: 'fetched / touched; goal <= 1.1 (the index read included)',
            runs,
            notes: '10 m, int8 x 64 bands zstd; the index footer and one row group are part of the bytes',
            extra: { ...common, bytes: fetched.bytes, estimate_bytes: estimate.bytes },
          });
        if (selected.includes('aef_requests_per_km2'))
          results.set('aef_requests_per_km2', {
            unit: 'requests/km²',
            value: fetched.requests / km2,
            baseline: {
              name: 'estimate: one header + one per block row per file',
              value: estimate.requests / km2,
              unit: 'requests/km²',
            },
            ratio: fetched.requests / estimate.requests,
            ratio_meaning: 'fetched / estimated; lower is better (adjacent blocks share a request)',
            runs,
            notes: 'index requests included (2: footer, one row group)',
            extra: { ...common, requests: fetched.requests, estimate_requests: estimate.requests },
          });
        if (selected.includes('aef_read_to_similarity_1m_s'))
          results.set('aef_read_to_similarity_1m_s', {
            unit: 's',
            value: median(totals),
            baseline: { name: 'cosineSimilarity alone on the result', value: median(sims), unit: 's' },
            ratio: median(totals) / median(sims),
            ratio_meaning: 'read + similarity / similarity alone; lower is better',
            runs,
            notes:
              'Node, one thread, server on 127.0.0.1 (no network latency): index, headers, blocks, zstd, de-quantisation, mosaic',
            extra: { ...common, read_s: median(reads), similarity_s: median(sims) },
          });
        return results;
      } finally {
        server.closeAllConnections();
        server.close();
      }
    },
  },
];
