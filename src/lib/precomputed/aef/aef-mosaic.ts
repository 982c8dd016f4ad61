import { type BaseDecoder, getDecoder } from 'geotiff';
import type { ReadContext } from '../../cog/index.ts';
import { damagedTiff, tiffError } from '../../cog/index.ts';
import { createEmbeddingGrid, type EmbeddingGrid } from '../../embeddings/index.ts';
import { AppError, throwIfAborted } from '../../errors.ts';
import type { GridSpec } from '../../geo/index.ts';
import type { PrecomputedProgress } from '../types.ts';
import { AEF_DIM, AEF_NODATA, DEQUANTISE } from './aef-layout.ts';
import { blocksOf, byPriority, type OpenedTile, planTile, type TilePlan } from './aef-tiles.ts';

/** Decoded blocks per batch (a 256 x 256 x 64 block is 4 MiB); two batches are held at once. */
const BATCH_BYTES = 64 * 2 ** 20;

async function decoderFor(plan: TilePlan): Promise<BaseDecoder> {
  const { image } = plan.level;
  const fd = image.getFileDirectory();
  return getDecoder(Number(fd.getValue('Compression') ?? 1), {
    tileWidth: image.getTileWidth(),
    tileHeight: image.getTileHeight(),
    planarConfiguration: 1,
    bitsPerSample: Array.from((await fd.loadValue('BitsPerSample')) ?? [8]),
    predictor: Number((await fd.loadValue('Predictor')) ?? 1),
  } as unknown as Parameters<typeof getDecoder>[1]);
}

/**
 * Copies one plan's pixels into the grid and returns how many it filled: target pixels whose
 * source pixel is masked (-128 in any channel) stay invalid, so a later tile (a neighbouring
 * zone) may still fill them.
 */
function fill(
  plan: TilePlan,
  blocks: Map<number, Int8Array>,
  grid: GridSpec,
  data: Float32Array,
  valid: Uint8Array,
): number {
  const { image, georef } = plan.level;
  const tw = image.getTileWidth();
  const th = image.getTileHeight();
  const across = Math.ceil(georef.width / tw);
  const [c0, r0, c1] = plan.rect;
  const w = c1 - c0;
  const { alternates, source } = plan;
  const n = source.length;
  let filled = 0;
  // Where a candidate pixel's 64 values start in its block, or -1 (masked) / -2 (not loaded).
  // Plain loops, no allocation per pixel: this runs once per target pixel and tile.
  let found: Int8Array | undefined;
  const locate = (s: number): number => {
    const row = (s / georef.width) | 0;
    const col = s - row * georef.width;
    const block = blocks.get(((row / th) | 0) * across + ((col / tw) | 0));
    if (!block) return -2;
    const offset = ((row % th) * tw + (col % tw)) * AEF_DIM;
    for (let d = 0; d < AEF_DIM; d++) if (block[offset + d] === AEF_NODATA) return -1;
    found = block;
    return offset;
  };
  for (let i = 0; i < n; i++) {
    const s = source[i]!;
    if (s < 0) continue;
    const target = (r0 + ((i / w) | 0)) * grid.width + c0 + (i % w);
    if (valid[target]) continue;
    // Candidates in order; a pixel waits for a block not loaded yet, so the choice never
    // depends on how the blocks were batched.
    let offset = locate(s);
    for (let k = 0; offset === -1 && alternates && k < 3; k++) {
      const alt = alternates[i * 3 + k]!;
      if (alt >= 0) offset = locate(alt);
    }
    if (offset < 0 || !found) continue;
    const block: Int8Array = found;
    const out = target * AEF_DIM;
    for (let d = 0; d < AEF_DIM; d++) data[out + d] = DEQUANTISE[block[offset + d]! & 0xff]!;
    valid[target] = 1;
    filled++;
  }
  return filled;
}

export interface MosaicOptions {
  ctx: ReadContext;
  onProgress?: ((p: PrecomputedProgress) => void) | undefined;
}

/**
 * Reads the tiles onto the grid (nearest resampling, see planTile) and returns the embeddings
 * plus the URLs of the tiles that gave pixels. Tiles go in priority order (byPriority); each
 * reads only the blocks holding pixels still empty, in batches of bounded memory, with every
 * batch's blocks requested together so adjacent ones share a request.
 */
export async function mosaic(
  opened: readonly OpenedTile[],
  grid: GridSpec,
  options: MosaicOptions,
): Promise<{ embeddings: EmbeddingGrid; sources: string[] }> {
  const { ctx } = options;
  const pixels = grid.width * grid.height;
  const data = new Float32Array(pixels * AEF_DIM);
  const valid = new Uint8Array(pixels);
  const empty = () => valid.map((v) => (v ? 0 : 1));
  const ordered = [...opened].sort(byPriority(grid));
  // Progress counts tiles: a tile's blocks are known only once the pixels left are planned.
  const total = ordered.length;
  const sources: string[] = [];
  for (const [i, tile] of ordered.entries()) {
    throwIfAborted(ctx.signal, 'Reading AlphaEarth embeddings');
    // The first tile wants every pixel; later ones only those still empty (projected once each).
    const plan = planTile(tile, grid, i === 0 ? undefined : empty());
    if (!plan) {
      options.onProgress?.({ stage: 'read', done: i + 1, total, bytes: ctx.stats.bytes });
      continue;
    }
    const blocks = blocksOf(plan);
    const { image } = plan.level;
    const perBlock = image.getTileWidth() * image.getTileHeight() * AEF_DIM;
    const across = Math.ceil(plan.level.georef.width / image.getTileWidth());
    // A pixel's candidates lie in neighbouring blocks (index difference <= across + 1): with
    // batches at least that long and the previous batch kept, they are always loaded together.
    const batchSize = Math.max(across + 1, Math.floor(BATCH_BYTES / perBlock));
    const decoder = await decoderFor(plan);
    let previous = new Map<number, Int8Array>();
    let gave = false;
    for (let b = 0; b < blocks.length; b += batchSize) {
      const batch = blocks.slice(b, b + batchSize);
      let decoded: { x: number; y: number; data: ArrayBufferLike }[];
      try {
        decoded = await Promise.all(
          batch.map((k) => image.getTileOrStrip(k % across, Math.floor(k / across), 0, decoder, ctx.signal)),
        );
      } catch (error) {
        const e = tiffError(error, plan.opened.tile.name, ctx.signal, 'pixels');
        if (e.code === 'aborted') throw e;
        throw new AppError(
          e.code,
          `An AlphaEarth tile could not be read, so nothing was loaded: ${e.message}`,
        );
      }
      const expected = image.getTileWidth() * image.getTileHeight() * AEF_DIM;
      if (decoded.some((d) => d.data.byteLength !== expected))
        throw new AppError(
          'bad-input',
          `An AlphaEarth tile could not be read, so nothing was loaded: ${damagedTiff(plan.opened.tile.name, 'pixels').message}`,
        );
      const current = new Map(decoded.map((d) => [d.y * across + d.x, new Int8Array(d.data as ArrayBuffer)]));
      gave = fill(plan, new Map([...previous, ...current]), grid, data, valid) > 0 || gave;
      previous = current;
      const last = b + batchSize >= blocks.length;
      options.onProgress?.({ stage: 'read', done: last ? i + 1 : i, total, bytes: ctx.stats.bytes });
    }
    if (gave) sources.push(plan.opened.tile.url);
  }
  const embeddings = createEmbeddingGrid(grid.width, grid.height, AEF_DIM, data, valid, {
    epsg: grid.epsg,
    transform: { ...grid.transform },
  });
  return { embeddings, sources };
}
