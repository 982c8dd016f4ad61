import { cpus } from 'node:os';
import { fromFile, Pool } from 'geotiff';
import { type BenchEntry, log, median } from './report.ts';

/** Median seconds to read the whole image (every tile inflated and un-predicted). */
async function timeRead(
  file: string,
  runs: number,
  pool: Pool | undefined,
): Promise<{ seconds: number; bytes: number }> {
  const tiff = await fromFile(file);
  try {
    const image = await tiff.getImage(0);
    const bytes = image.getWidth() * image.getHeight() * image.getBytesPerPixel();
    await image.readRasters(pool ? { pool } : {}); // warm-up: JIT, decoder modules, pool start
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await image.readRasters(pool ? { pool } : {});
      times.push((performance.now() - t0) / 1000);
    }
    return { seconds: median(times), bytes };
  } finally {
    tiff.close();
  }
}

/**
 * Tile decoding throughput (MB/s of uncompressed pixels) through geotiff.js's worker Pool
 * (worker_threads under Node via the web-worker package; Web Workers in the browser) against
 * decoding on the calling thread. Pool size: cores - 1, at least 2.
 */
export async function decodeThroughput(file: string, runs: number): Promise<BenchEntry> {
  const size = Math.max(2, cpus().length - 1);
  const single = await timeRead(file, runs, undefined);
  const pool = new Pool(size);
  try {
    const pooled = await timeRead(file, runs, pool);
    const mbps = (r: { seconds: number; bytes: number }) => r.bytes / 1e6 / r.seconds;
    log(`  decode: single ${mbps(single).toFixed(0)} MB/s, pool(${size}) ${mbps(pooled).toFixed(0)} MB/s`);
    return {
      unit: 'MB/s',
      value: mbps(pooled),
      baseline: { name: 'decoding on the calling thread', value: mbps(single), unit: 'MB/s' },
      ratio: mbps(pooled) / mbps(single),
      ratio_meaning: 'pool throughput / single-thread throughput (> 1: the pool helps)',
      runs,
      notes: `whole ${single.bytes / 2e6} Mpx UInt16 band, 512 px DEFLATE+predictor tiles, pool of ${size} on ${cpus().length} cores`,
    };
  } finally {
    await pool.destroy();
  }
}
