import type { PrecomputedFamily, PrecomputedProduct } from '../../src/lib/precomputed/index.ts';

/**
 * The precomputed products `fetch-embeddings --product` can read, loaded on demand. Each
 * family adds its one line here (TESSERA: `tessera: async () => (await import(...)).tesseraProduct`).
 */
export const PRODUCTS: Partial<Record<PrecomputedFamily, () => Promise<PrecomputedProduct>>> = {
  aef: async () => (await import('../../src/lib/precomputed/aef/index.ts')).aefProduct,
  tessera: async () => (await import('../../src/lib/precomputed/tessera/index.ts')).tesseraProduct,
};
