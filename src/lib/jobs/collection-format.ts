import { z } from 'zod';

/**
 * The embedding-collection format (README "Scale-out"; the shared contract the app's
 * `collection` family reads): a STAC ItemCollection whose Items each carry a WGS84 bbox and
 * geometry, a datetime (or start/end), their UTM grid (proj:code, proj:shape, proj:transform),
 * the model and dimension, and one `embeddings` COG asset with per-band raster:bands. This
 * schema is the contract written down; `collect` checks its output against it.
 */
const band = z.object({
  data_type: z.enum(['float32', 'int8']),
  nodata: z.union([z.number(), z.literal('nan')]),
  scale: z.number(),
  offset: z.number(),
});

const item = z
  .looseObject({
    type: z.literal('Feature'),
    id: z.string().min(1),
    bbox: z
      .tuple([z.number(), z.number(), z.number(), z.number()])
      .refine(([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n, {
        message: 'a WGS84 [west, south, east, north]',
      }),
    geometry: z.looseObject({
      type: z.literal('Polygon'),
      coordinates: z.array(z.array(z.array(z.number()))),
    }),
    properties: z.looseObject({
      datetime: z.string().nullable(),
      start_datetime: z.string().optional(),
      end_datetime: z.string().optional(),
      'proj:code': z.string().regex(/^EPSG:32[67]\d\d$/, 'EPSG:326NN or EPSG:327NN'),
      'proj:shape': z.tuple([z.number().int().positive(), z.number().int().positive()]),
      'proj:transform': z
        .array(z.number())
        .length(6)
        .refine((t) => t[1] === 0 && t[3] === 0 && t[0]! > 0 && t[4]! < 0, {
          message: 'a north-up [resX, 0, originX, 0, -resY, originY]',
        }),
      'embeddings:model': z.string().min(1),
      'embeddings:dim': z.number().int().positive(),
    }),
    assets: z.looseObject({
      embeddings: z.looseObject({
        href: z.string().min(1),
        type: z.literal('image/tiff; application=geotiff; profile=cloud-optimized'),
        roles: z.array(z.string()).refine((r) => r.includes('data'), { message: 'roles including "data"' }),
        'raster:bands': z.array(band).min(1),
      }),
    }),
  })
  .refine(
    (i) => i.properties.datetime !== null || (i.properties.start_datetime && i.properties.end_datetime),
    {
      message: 'datetime, or start_datetime and end_datetime',
    },
  )
  .refine((i) => i.assets.embeddings['raster:bands'].length === i.properties['embeddings:dim'], {
    message: 'one raster:bands entry per embedding dimension',
  });

const collection = z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(item).min(1) });

/** Every way `json` departs from the embedding-collection format, as "path: problem" lines. */
export function embeddingCollectionProblems(json: unknown): string[] {
  const parsed = collection.safeParse(json);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
}
