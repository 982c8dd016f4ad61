import { createEmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { EmbeddingPreview } from '../src/lib/render/index.ts';
import type { Group, Results } from './group.ts';
import { type BenchEntry, log, median } from './report.ts';

/** Milliseconds to colour a whole grid batch by batch (as an encode does), then take the 512 px thumbnail. */
function colourOnce(side: number, grid: ReturnType<typeof createEmbeddingGrid>, all: Uint32Array): number {
  const preview = new EmbeddingPreview(grid.width, grid.height, grid.dim, 1, side);
  const t0 = performance.now();
  for (let s = 0; s < all.length; s += 32_768)
    preview.addBatch(grid, all.subarray(s, Math.min(all.length, s + 32_768)));
  preview.thumbnail(512);
  return performance.now() - t0;
}

/**
 * The encoder worker's progress preview over a whole encode: colouring only the pixels its
 * 512 px thumbnail shows, against colouring every pixel of the grid and sampling the thumbnail
 * from that (the code before, still what `maxSide` omitted gives), on the Dolomites grid
 * (1059 x 934) at the spectral encoder's 16 dimensions and Presto's 128, in one process.
 */
export function previewColouring(quick: boolean): BenchEntry {
  const runs = quick ? 2 : 5;
  const extra: Record<string, number> = {};
  let now = 0;
  let before = 0;
  for (const dim of [16, 128]) {
    const W = 1059;
    const H = 934;
    const data = new Float32Array(W * H * dim);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37);
    const grid = createEmbeddingGrid(W, H, dim, data, new Uint8Array(W * H).fill(1));
    const all = Uint32Array.from({ length: W * H }, (_, i) => i);
    colourOnce(512, grid, all); // warm-up (JIT)
    colourOnce(Number.POSITIVE_INFINITY, grid, all);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < runs; r++) {
      a.push(colourOnce(512, grid, all));
      b.push(colourOnce(Number.POSITIVE_INFINITY, grid, all));
    }
    extra[`dim${dim}_ms`] = median(a);
    extra[`dim${dim}_whole_grid_ms`] = median(b);
    now += median(a);
    before += median(b);
  }
  log(`  preview: ${now.toFixed(0)} ms against ${before.toFixed(0)} ms colouring the whole grid`);
  return {
    unit: 'ms',
    value: now,
    baseline: {
      name: 'colouring every grid pixel, then sampling the thumbnail (same run)',
      value: before,
      unit: 'ms',
    },
    ratio: now / before,
    ratio_meaning: 'value / baseline (< 1: less of the encode spent on the progress picture)',
    runs,
    notes:
      'Node; one whole 1059 x 934 grid in 32,768-pixel batches, dim 16 and dim 128 summed, then the 512 px thumbnail.',
    extra,
  };
}

export const PREVIEW_GROUPS: Group[] = [
  {
    names: ['encode_preview_ms'],
    run: (_selected, s): Results => new Map([['encode_preview_ms', previewColouring(s.quick)]]),
  },
];
