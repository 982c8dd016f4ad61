import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cosineSimilarity, pixelVector } from '../src/lib/analysis/index.ts';
import type { GridSpec } from '../src/lib/geo/index.ts';
import { readShardIndex, tesseraProduct } from '../src/lib/precomputed/index.ts';
import { countingFetch, serveStore } from '../tests/precomputed/tessera/tessera-server.ts';
import {
  type ArraySpec,
  arrayMetadata,
  groupMetadata,
  writeJson,
  writeShard,
  writeSmallArray,
} from '../tests/precomputed/tessera/zarr-v3-writer.ts';
import type { Group, Results } from './group.ts';
import { type BenchEntry, log, round } from './report.ts';

/**
 * TESSERA reads on a local store in the real layout (zone group utm32, int8 (1,128,H,W) in
 * (1,128,32,32) inner chunks of 256 x 256 shards, blosc zstd, CRC-32C shard indexes) served by
 * the project's range server on 127.0.0.1. The zone is 1024 x 1024 px (10.24 km); one shard's
 * chunks are written and its file copied to the other 15 (same bytes per km² as distinct
 * content, a 16th of the set-up time). A full run reads 1000 x 1000 px (100 km², 1M pixels).
 */

const CHUNK = 32;
const DIM = 128;

interface StoreShape {
  /** Zone grid side, pixels. */
  side: number;
  shard: number;
  /** Inner chunks (rows and columns) holding data in shard (0, 0); the rest is not stored. */
  filledChunks: number;
}

async function writeBenchStore(dir: string, shape: StoreShape): Promise<GridSpec['transform']> {
  const { side, shard: SHARD, filledChunks } = shape;
  const originX = 300_000;
  const originY = 5_000_000;
  const group = join(dir, 'utm32');
  const spatial = {
    'proj:code': 'EPSG:32632',
    'spatial:transform': [10, 0, originX, 0, -10, originY],
    'spatial:shape': [side, side],
  };
  await writeJson(join(group, 'zarr.json'), groupMetadata(spatial));
  const emb: ArraySpec = {
    shape: [1, DIM, side, side],
    dtype: 'int8',
    chunks: [1, DIM, SHARD, SHARD],
    innerChunks: [1, DIM, CHUNK, CHUNK],
    fillValue: 0,
    dimensionNames: ['time', 'band', 'y', 'x'],
  };
  const scales: ArraySpec = {
    shape: [1, side, side],
    dtype: 'float32',
    chunks: [1, SHARD, SHARD],
    innerChunks: [1, CHUNK, CHUNK],
    fillValue: Number.POSITIVE_INFINITY,
    dimensionNames: ['time', 'y', 'x'],
  };
  await writeJson(join(group, 'embeddings', 'zarr.json'), arrayMetadata(emb));
  await writeJson(join(group, 'scales', 'zarr.json'), arrayMetadata(scales));
  const time: ArraySpec = { shape: [1], dtype: 'int32', chunks: [1], fillValue: 0, dimensionNames: ['time'] };
  await writeSmallArray(dir, 'utm32/time', time, Int32Array.from([2024]));
  // Smooth, high-entropy-ish content: 128 plane waves of periods 0.3-3 km.
  const fr = Float64Array.from({ length: DIM }, (_, b) => 0.002 + 0.02 * ((b * 0.618) % 1));
  const fc = Float64Array.from({ length: DIM }, (_, b) => 0.002 + 0.02 * ((b * 0.382) % 1));
  const embChunk = ([, , cr, cc]: number[]) => {
    if (cr! >= filledChunks || cc! >= filledChunks) return undefined;
    const out = new Int8Array(DIM * CHUNK * CHUNK);
    for (let b = 0; b < DIM; b++)
      for (let r = 0; r < CHUNK; r++)
        for (let c = 0; c < CHUNK; c++)
          out[(b * CHUNK + r) * CHUNK + c] = Math.round(
            100 * Math.sin(2 * Math.PI * (fr[b]! * (cr! * CHUNK + r) + fc[b]! * (cc! * CHUNK + c)) + b),
          );
    return out;
  };
  await writeShard(dir, 'utm32/embeddings', emb, [0, 0, 0, 0], embChunk);
  await writeShard(dir, 'utm32/scales', scales, [0, 0, 0], ([, cr, cc]) =>
    cr! < filledChunks && cc! < filledChunks ? new Float32Array(CHUNK * CHUNK).fill(0.07) : undefined,
  );
  for (let sr = 0; sr < side / SHARD; sr++) {
    for (let sc = 0; sc < side / SHARD; sc++) {
      if (sr === 0 && sc === 0) continue;
      for (const [from, to] of [
        ['utm32/embeddings/c/0/0/0/0', `utm32/embeddings/c/0/0/${sr}/${sc}`],
        ['utm32/scales/c/0/0/0', `utm32/scales/c/0/${sr}/${sc}`],
      ] as const) {
        await mkdir(dirname(join(dir, to)), { recursive: true });
        await copyFile(join(dir, from), join(dir, to));
      }
    }
  }
  const consolidated: Record<string, unknown> = {
    utm32: groupMetadata(spatial),
    'utm32/embeddings': arrayMetadata(emb),
    'utm32/scales': arrayMetadata(scales),
    'utm32/time': arrayMetadata(time),
  };
  await writeJson(join(dir, 'zarr.json'), {
    attributes: { 'geoemb:dimensions': DIM },
    zarr_format: 3,
    consolidated_metadata: { kind: 'inline', must_understand: false, metadata: consolidated },
    node_type: 'group',
  });
  return { originX, originY, resX: 10, resY: 10 };
}

/** Compressed bytes of the inner chunks (embeddings + scales) a window of `side` px from (8, 8) touches. */
async function touchedBytes(
  dir: string,
  side: number,
  SHARD: number,
): Promise<{ bytes: number; chunks: number }> {
  const { readFile } = await import('node:fs/promises');
  let bytes = 0;
  let chunks = 0;
  const per = SHARD / CHUNK;
  for (const file of ['utm32/embeddings/c/0/0/0/0', 'utm32/scales/c/0/0/0']) {
    const data = new Uint8Array(await readFile(join(dir, file)));
    const { lengths } = readShardIndex(data.subarray(data.length - per * per * 16 - 4));
    // Every shard is the same file: sum each touched chunk's length from its position in its shard.
    for (let cr = Math.floor(8 / CHUNK); cr <= Math.floor((8 + side - 1) / CHUNK); cr++)
      for (let cc = Math.floor(8 / CHUNK); cc <= Math.floor((8 + side - 1) / CHUNK); cc++) {
        bytes += lengths[(cr % per) * per + (cc % per)]!;
        chunks++;
      }
  }
  return { bytes, chunks: chunks / 2 };
}

interface Measured {
  side: number;
  km2: number;
  bytes: number;
  requests: number;
  touched: { bytes: number; chunks: number };
  totalS: number;
  fetchS: number;
  extra: Record<string, number>;
}

/** Writes a store of `shape`, reads `side` x `side` px 8 px off its chunk grid, then a similarity map. */
async function measure(shape: StoreShape, side: number): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tessera-'));
  try {
    const t0 = performance.now();
    const transform = await writeBenchStore(dir, shape);
    log(
      `  TESSERA store ${shape.side} px, ${shape.shard} px shards, written in ${Math.round(performance.now() - t0)} ms`,
    );
    const { baseUrl, close } = await serveStore(dir);
    try {
      const grid: GridSpec = {
        width: side,
        height: side,
        epsg: 32632,
        transform: { ...transform, originX: transform.originX + 80, originY: transform.originY - 80 },
      };
      const { fetch, log: fetched } = countingFetch();
      const start = performance.now();
      const result = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2024, grid }, { fetch });
      const readS = (performance.now() - start) / 1000;
      const scores = cosineSimilarity(
        result.embeddings,
        pixelVector(result.embeddings, (side >> 1) * side + (side >> 1)),
      );
      const totalS = (performance.now() - start) / 1000;
      if (!(scores[0]! > -1.01)) throw new Error('similarity map is empty');
      // Baseline: the same byte ranges fetched with plain fetch (the transfer floor).
      const b0 = performance.now();
      await Promise.all(
        fetched.map((f) =>
          globalThis
            .fetch(f.url, f.range ? { headers: { Range: f.range } } : {})
            .then((r) => r.arrayBuffer()),
        ),
      );
      const fetchS = (performance.now() - b0) / 1000;
      const touched = await touchedBytes(dir, side, shape.shard);
      const indexBytes = fetched
        .filter((f) => f.range?.startsWith('bytes=-'))
        .reduce((n, f) => n + f.bytes, 0);
      const { requests, bytes } = result.fetched;
      const extra = {
        pixels: side * side,
        chunks_touched: touched.chunks,
        requests,
        bytes,
        index_bytes: indexBytes,
        read_s: round(readS),
        similarity_s: round(totalS - readS),
      };
      return { side, km2: (side * side) / 10_000, bytes, requests, touched, totalS, fetchS, extra };
    } finally {
      await close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function bytesEntry(m: Measured, notes: string): BenchEntry {
  return {
    unit: 'bytes/km²',
    value: m.bytes / m.km2,
    baseline: { name: 'compressed inner chunks the area touches, per km²', value: m.touched.bytes / m.km2 },
    ratio: m.bytes / m.touched.bytes,
    ratio_meaning: 'fetched / touched chunk bytes (indexes and metadata included); 1.0 = nothing extra',
    runs: 1,
    notes,
    extra: m.extra,
  };
}

function requestsEntry(m: Measured, notes: string): BenchEntry {
  return {
    unit: 'requests/km²',
    value: m.requests / m.km2,
    baseline: {
      name: 'one request per touched inner chunk and array, per km²',
      value: (2 * m.touched.chunks) / m.km2,
    },
    ratio: m.requests / (2 * m.touched.chunks),
    ratio_meaning: 'lower is better: range coalescing merges neighbouring chunks',
    runs: 1,
    notes,
    extra: m.extra,
  };
}

const LARGE = ['tessera_bytes_per_km2', 'tessera_requests_per_km2', 'tessera_load_to_similarity_1m_s'];
const SMALL = ['tessera_bytes_per_km2_1km2_real_shards', 'tessera_requests_per_km2_1km2_real_shards'];

export const TESSERA_GROUPS: Group[] = [
  {
    names: LARGE,
    async run(selected, s): Promise<Results> {
      const side = s.quick ? 300 : 1000;
      const zone = s.quick ? 512 : 1024;
      const m = await measure({ side: zone, shard: 256, filledChunks: 8 }, side);
      const area = `${side} x ${side} px of 10 m, 256 px shards`;
      const entries: [string, BenchEntry][] = [
        ['tessera_bytes_per_km2', bytesEntry(m, area)],
        ['tessera_requests_per_km2', requestsEntry(m, `${area}; HTTP/1.1 on 127.0.0.1, gap-free coalescing`)],
        [
          'tessera_load_to_similarity_1m_s',
          {
            unit: 's',
            value: m.totalS,
            baseline: { name: 'fetching the same byte ranges with plain fetch', value: m.fetchS },
            ratio: m.totalS / m.fetchS,
            ratio_meaning: 'read + decode + dequantise + resample + similarity, over the transfer alone',
            runs: 1,
            notes: `"Load" to a similarity map for ${(side * side).toLocaleString('en')} pixels on a local store`,
            extra: m.extra,
          },
        ],
      ];
      return new Map(entries.filter(([name]) => selected.includes(name)));
    },
  },
  {
    names: SMALL,
    async run(selected): Promise<Results> {
      // The real store's geometry: one 4096 px shard (16,384 inner chunks, a 256 KiB index per
      // array), data in its first 8 x 8 chunks; a 1 km² read (100 x 100 px) touches 4 x 4.
      const m = await measure({ side: 4096, shard: 4096, filledChunks: 8 }, 100);
      const notes = '1 km² in a real-size 4096 px shard: the two 256 KiB shard indexes dominate';
      const entries: [string, BenchEntry][] = [
        [SMALL[0]!, bytesEntry(m, notes)],
        [SMALL[1]!, requestsEntry(m, notes)],
      ];
      return new Map(entries.filter(([name]) => selected.includes(name)));
    },
  },
];
