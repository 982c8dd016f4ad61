import * as Comlink from 'comlink';
import { similarityAgreement } from '../src/lib/analysis/index.ts';
import { AppError } from '../src/lib/errors.ts';
import type { GridSpec } from '../src/lib/geo/index.ts';
import type { PrecomputedReadOptions } from '../src/lib/precomputed/index.ts';
import { productFor, targetGridFor } from '../src/lib/precomputed/index.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { PrecomputedWhere, PrecomputedWorkerApi } from './precomputed-api.ts';

let current: AbortController | undefined;

function begin(): AbortController {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  return controller;
}

/** The grid asked for, or the product's own grid over the area, or a 10 m UTM grid over it. */
async function gridOf(where: PrecomputedWhere, options: PrecomputedReadOptions): Promise<GridSpec> {
  if (where.grid) return where.grid;
  const product = productFor(where.family);
  const { family, baseUrl, year, area } = where;
  if (product.nativeGrid) return product.nativeGrid({ family, baseUrl, year, area }, options);
  if (!area)
    throw new AppError('bad-input', `Choose an area first: ${product.title} has no extent of its own.`);
  return targetGridFor(area, 10);
}

const api: PrecomputedWorkerApi = {
  async estimate(where) {
    const controller = begin();
    const result = await settle(async () => {
      const options = { signal: controller.signal };
      const grid = await gridOf(where, options);
      const estimate = await productFor(where.family).estimate({ ...where, grid }, options);
      return { ...estimate, grid };
    });
    if (current === controller) current = undefined;
    return result;
  },
  async read(where, onProgress) {
    const controller = begin();
    const result = await settle(async () => {
      const options = { signal: controller.signal, onProgress };
      const grid = await gridOf(where, options);
      const read = await productFor(where.family).read({ ...where, grid }, options);
      return { ...read, grid };
    });
    if (current === controller) current = undefined;
    if (!result.ok) return result;
    const { data, valid } = result.value.embeddings;
    // Hand the embeddings over instead of copying them.
    return Comlink.transfer(result, [data.buffer as ArrayBuffer, valid.buffer as ArrayBuffer]);
  },
  async agreement(a, b, width, height) {
    return settle(() => similarityAgreement(a, b, width, height));
  },
  cancel() {
    current?.abort();
  },
};

Comlink.expose(api);
