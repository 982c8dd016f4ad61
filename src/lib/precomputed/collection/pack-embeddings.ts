import { z } from 'zod';
import { fetchJson } from '../../net/index.ts';
import type { PrecomputedFamily } from '../types.ts';

/**
 * Precomputed embeddings inside an offline pack. `pack:fetch --product P --year Y` cuts a
 * product for the pack's area into `embeddings/{P}-{Y}/` as the embedding collection format
 * (one embeddings COG and its `collection.json`), and lists it in the pack's manifest
 * (`catalog.json`, a STAC ItemCollection) as a link of rel `embeddings`: the scenes stay the
 * catalog's items, untouched, and any reader that ignores unknown links reads the pack as before.
 * The app opens such a link with the `collection` family, offline.
 */
export const PACK_EMBEDDINGS_REL = 'embeddings';

/** The folder (relative to catalog.json) a product's year is cut into. */
export function packEmbeddingsFolder(family: PrecomputedFamily, year: number | undefined): string {
  return `embeddings/${family}${year === undefined ? '' : `-${year}`}`;
}

/** One set of precomputed embeddings a pack holds. */
export interface PackEmbeddings {
  /** The product it was cut from (`aef`, `tessera`, `collection`). */
  product: PrecomputedFamily;
  year: number | undefined;
  /** What the user sees, e.g. "AlphaEarth 2022". */
  title: string;
  /** Absolute URL of its collection.json: the `collection` family's base URL. */
  href: string;
  dim: number;
  /** The product's base URL it was read from (provenance). */
  source: string | undefined;
}

/** The catalog link naming a pack's embeddings (`href` relative to catalog.json). */
export function packEmbeddingsLink(e: PackEmbeddings): Record<string, unknown> {
  return {
    rel: PACK_EMBEDDINGS_REL,
    href: e.href,
    type: 'application/geo+json',
    title: e.title,
    'embeddings:product': e.product,
    ...(e.year === undefined ? {} : { 'embeddings:year': e.year }),
    'embeddings:dim': e.dim,
    ...(e.source === undefined ? {} : { 'embeddings:source': e.source }),
  };
}

const linkSchema = z.looseObject({
  rel: z.literal(PACK_EMBEDDINGS_REL),
  href: z.string().min(1),
  title: z.string().optional(),
  'embeddings:product': z.enum(['aef', 'tessera', 'collection']),
  'embeddings:year': z.number().int().optional(),
  'embeddings:dim': z.number().int().positive(),
  'embeddings:source': z.string().optional(),
});

const catalogSchema = z.looseObject({ links: z.array(z.unknown()).optional() });

/**
 * The embeddings a pack's catalog lists, hrefs made absolute against the catalog's URL. Links
 * of other rels are not ours; an `embeddings` link this app cannot read (a malformed one) is
 * left out rather than offered, since opening it could only fail.
 */
export function parsePackEmbeddings(catalog: unknown, catalogUrl: string): PackEmbeddings[] {
  const parsed = catalogSchema.safeParse(catalog);
  if (!parsed.success) return [];
  const found: PackEmbeddings[] = [];
  for (const raw of parsed.data.links ?? []) {
    const link = linkSchema.safeParse(raw);
    if (!link.success) continue;
    const l = link.data;
    let href: string;
    try {
      href = new URL(l.href, catalogUrl).href;
    } catch {
      continue;
    }
    const year = l['embeddings:year'];
    found.push({
      product: l['embeddings:product'],
      year,
      title: l.title ?? [l['embeddings:product'], year].filter((x) => x !== undefined).join(' '),
      href,
      dim: l['embeddings:dim'],
      source: l['embeddings:source'],
    });
  }
  return found;
}

/** Fetches a pack's catalog.json and lists the precomputed embeddings it holds. */
export async function listPackEmbeddings(
  catalogUrl: string,
  signal?: AbortSignal,
): Promise<PackEmbeddings[]> {
  const json = await fetchJson(catalogUrl, {}, { service: 'the pack server', signal, timeoutMs: 15_000 });
  return parsePackEmbeddings(json, catalogUrl);
}
