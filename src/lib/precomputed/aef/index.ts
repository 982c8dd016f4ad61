/** AlphaEarth Foundations annual embeddings (Satellite Embedding V1) as a precomputed product. */
export { clearIndexCache } from './aef-index.ts';
export { AEF_BAND_NAMES, AEF_DEFAULT_BASE_URL, AEF_DIM, AEF_NODATA, dequantise } from './aef-layout.ts';
export { AEF_MAX_PIXELS, aefProduct } from './aef-product.ts';
