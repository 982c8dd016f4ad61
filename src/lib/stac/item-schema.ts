import { z } from 'zod';

/** Loose schemas: they check what the app reads and let every other field through. */
const rasterBand = z.looseObject({
  scale: z.number().optional(),
  offset: z.number().optional(),
  nodata: z.union([z.number(), z.string()]).optional(),
});

export const assetSchema = z.looseObject({
  href: z.string().min(1),
  gsd: z.number().optional(),
  'proj:epsg': z.number().int().nullable().optional(),
  'proj:code': z.string().nullable().optional(),
  'raster:bands': z.array(rasterBand).optional(),
});

export const itemSchema = z.looseObject({
  type: z.literal('Feature'),
  id: z.string().min(1),
  collection: z.string().optional(),
  bbox: z.array(z.number()).min(4),
  geometry: z
    .looseObject({ type: z.string(), coordinates: z.array(z.unknown()) })
    .nullable()
    .optional(),
  properties: z.looseObject({
    datetime: z.string().nullable(),
    start_datetime: z.string().optional(),
    'eo:cloud_cover': z.number().optional(),
    'proj:epsg': z.number().int().nullable().optional(),
    'proj:code': z.string().nullable().optional(),
    's2:processing_baseline': z.string().optional(),
    platform: z.string().optional(),
  }),
  assets: z.record(z.string(), assetSchema),
});

export const itemCollectionSchema = z.looseObject({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
  links: z
    .array(
      z.looseObject({
        rel: z.string(),
        href: z.string(),
        // STAC API paging: how to follow a `next` link.
        method: z.string().optional(),
        body: z.record(z.string(), z.unknown()).optional(),
        merge: z.boolean().optional(),
      }),
    )
    .optional(),
});

export type RawItem = z.infer<typeof itemSchema>;
export type RawItemCollection = z.infer<typeof itemCollectionSchema>;
