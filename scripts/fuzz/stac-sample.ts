/** Values a mutation puts where a JSON node was: wrong types, extremes, empties. */
export const WEIRD: unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  'x',
  [],
  {},
  true,
  [1, 2],
  { type: 'Polygon' },
  -1e-300,
  Number.NaN,
];

/** One Sentinel-2 L2A item as Earth Search serves it, its red asset at `redHref`. */
export function sampleItem(redHref: string, id = 'S2A_32TQS_20220610_0_L2A'): Record<string, unknown> {
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    id,
    collection: 'sentinel-2-c1-l2a',
    bbox: [11.9, 46.5, 12.1, 46.7],
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [11.9, 46.5],
          [12.1, 46.5],
          [12.1, 46.7],
          [11.9, 46.7],
          [11.9, 46.5],
        ],
      ],
    },
    properties: {
      datetime: '2022-06-10T10:00:00Z',
      'eo:cloud_cover': 3.2,
      'proj:epsg': 32632,
      's2:processing_baseline': '05.09',
    },
    assets: {
      red: { href: redHref, 'raster:bands': [{ scale: 0.0001, offset: -0.1, nodata: 0 }] },
      green: { href: 'B03.tif', type: 'image/tiff; application=geotiff' },
      thumbnail: { href: 'thumb.jpg' },
    },
    links: [],
  };
}

/** Replaces, deletes or retypes one random node of the JSON tree. */
export function mutateJson(value: unknown, random: () => number, depth = 0): unknown {
  if (value === null || typeof value !== 'object')
    return random() < 0.5 ? WEIRD[Math.floor(random() * WEIRD.length)] : value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0 || (depth > 0 && random() < 0.15)) return WEIRD[Math.floor(random() * WEIRD.length)];
  const key = keys[Math.floor(random() * keys.length)]!;
  const bag = copy as Record<string, unknown>;
  if (random() < 0.2 && !Array.isArray(copy)) delete bag[key];
  else bag[key] = mutateJson(bag[key], random, depth + 1);
  return copy;
}
