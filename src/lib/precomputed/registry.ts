import { AppError } from '../errors.ts';
import { aefProduct } from './aef/index.ts';
import { collectionProduct } from './collection/index.ts';
import { tesseraProduct } from './tessera/index.ts';
import type { PrecomputedFamily, PrecomputedProduct } from './types.ts';

/**
 * Every precomputed product the app and the CLI offer, in the order the UI lists them. A
 * family's folder exports its product from its index.ts; plugging one in is one line here.
 */
export const PRODUCTS: readonly PrecomputedProduct[] = [aefProduct, tesseraProduct, collectionProduct];

/** The families the registry holds, for validating links and command lines. */
export function families(): PrecomputedFamily[] {
  return PRODUCTS.map((p) => p.family);
}

/** The product of a family; an unknown or not-yet-available family is a clear bad-input. */
export function productFor(family: string): PrecomputedProduct {
  const product = PRODUCTS.find((p) => p.family === family);
  if (!product)
    throw new AppError(
      'bad-input',
      `There is no precomputed product "${family}" here; available: ${families().join(', ')}.`,
    );
  return product;
}
