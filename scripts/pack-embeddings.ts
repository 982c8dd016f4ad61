/**
 * `pack:fetch --product aef|tessera|collection --year Y`: cuts a precomputed product for the
 * pack's area into the pack, as the embedding collection format the app's `collection` family
 * reads (one float32 embeddings COG, `collection.json` beside it), and lists it in the pack's
 * catalog.json (a link of rel `embeddings`). float32, so the offline read gives exactly the
 * values the online read gives (the products' de-quantised int8 does not survive a re-quantisation
 * to the project's linear int8 scheme unchanged).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { countValid } from '../src/lib/embeddings/index.ts';
import { AppError } from '../src/lib/errors.ts';
import { embeddingsToGeoTiff } from '../src/lib/export/index.ts';
import type { BBox } from '../src/lib/geo/index.ts';
import { CATALOG_FILE } from '../src/lib/pack/index.ts';
import type { PrecomputedFamily, PrecomputedProgress } from '../src/lib/precomputed/index.ts';
import {
  embeddingsItem,
  PACK_EMBEDDINGS_REL,
  type PackEmbeddings,
  packEmbeddingsFolder,
  packEmbeddingsLink,
  productFor,
  targetGridFor,
} from '../src/lib/precomputed/index.ts';

export interface PackEmbeddingsRequest {
  /** The pack folder (holding catalog.json). */
  dir: string;
  family: PrecomputedFamily;
  year: number | undefined;
  baseUrl: string;
  bbox: BBox;
  /** Metres per pixel of the grid (10 = the products' own pixels). */
  res: number;
  signal?: AbortSignal;
  onProgress?: (p: PrecomputedProgress) => void;
  fetch?: typeof globalThis.fetch;
}

export interface PackEmbeddingsResult {
  entry: PackEmbeddings;
  files: { path: string; bytes: number }[];
  width: number;
  height: number;
  epsg: number;
  validFraction: number;
  fetched: { requests: number; bytes: number };
}

const EMBEDDINGS_FILE = 'embeddings.tif';
const COLLECTION_FILE = 'collection.json';

/** Reads the product over `bbox` and writes it into the pack at `dir`; catalog.json lists it. */
export async function cutEmbeddingsIntoPack(req: PackEmbeddingsRequest): Promise<PackEmbeddingsResult> {
  const catalogPath = path.join(req.dir, CATALOG_FILE);
  const catalog = JSON.parse(await readFile(catalogPath, 'utf8')) as Record<string, unknown>;
  const product = productFor(req.family);
  const grid = targetGridFor(req.bbox, req.res);
  const result = await product.read(
    { family: req.family, baseUrl: req.baseUrl, ...(req.year === undefined ? {} : { year: req.year }), grid },
    {
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
      ...(req.fetch ? { fetch: req.fetch } : {}),
    },
  );
  const { embeddings, label } = result;
  const valid = countValid(embeddings) / embeddings.valid.length;
  if (!(valid > 0))
    throw new AppError('bad-input', `${label} has no valid pixel in the pack's area; nothing was added.`);
  // The product's name without the year: the collection reader labels a read "{model} {year}".
  const model = label.replace(req.year === undefined ? '' : ` ${req.year}`, '').trim() || product.title;
  const folder = packEmbeddingsFolder(req.family, req.year);
  const tif = embeddingsToGeoTiff({
    embeddings,
    grid,
    encoding: 'float32',
    names: result.bandNames,
    metadata: {
      MODEL: model,
      PRODUCT: req.family,
      PRODUCT_TITLE: product.title,
      PRODUCT_LABEL: label,
      ...(req.year === undefined ? {} : { YEAR: String(req.year) }),
      BASE_URL: req.baseUrl,
      SOURCE_FILES: String(result.sources.length),
    },
  });
  const item = embeddingsItem({
    id: `${req.family}${req.year === undefined ? '' : `-${req.year}`}`,
    href: `./${EMBEDDINGS_FILE}`,
    grid,
    model,
    dim: embeddings.dim,
    datetime: `${req.year ?? new Date().getUTCFullYear()}-01-01T00:00:00Z`,
    dataType: 'float32',
  });
  const collection = `${JSON.stringify({ type: 'FeatureCollection', features: [item], links: [] }, null, 2)}\n`;
  await mkdir(path.join(req.dir, folder), { recursive: true });
  await writeFile(path.join(req.dir, folder, EMBEDDINGS_FILE), tif);
  await writeFile(path.join(req.dir, folder, COLLECTION_FILE), collection);
  const entry: PackEmbeddings = {
    product: req.family,
    year: req.year,
    title: label,
    href: `./${folder}/${COLLECTION_FILE}`,
    dim: embeddings.dim,
    source: req.baseUrl,
  };
  // The same product and year cut again replaces its link; other links and the scenes stay.
  const links = (Array.isArray(catalog.links) ? catalog.links : []).filter(
    (l: unknown) =>
      !(
        typeof l === 'object' &&
        l !== null &&
        (l as Record<string, unknown>).rel === PACK_EMBEDDINGS_REL &&
        (l as Record<string, unknown>).href === entry.href
      ),
  );
  catalog.links = [...links, packEmbeddingsLink(entry)];
  await writeFile(catalogPath, `${JSON.stringify(catalog, null, 2)}\n`);
  return {
    entry,
    files: [
      { path: `${folder}/${EMBEDDINGS_FILE}`, bytes: tif.length },
      { path: `${folder}/${COLLECTION_FILE}`, bytes: collection.length },
    ],
    width: grid.width,
    height: grid.height,
    epsg: grid.epsg,
    validFraction: valid,
    fetched: result.fetched,
  };
}
