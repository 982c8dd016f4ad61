/** What a marker on the map stands for. */
export type MarkerKind = 'query' | 'result' | 'positive' | 'negative' | 'label';

/**
 * Marker colours, [r, g, b, a]: query red, extra positives (like) orange, negatives (unlike)
 * blue, results white. The map draws them and the similarity panel's key names them, so both
 * read this one table.
 */
export const MARKER_COLOURS: Readonly<Record<MarkerKind, [number, number, number, number]>> = {
  query: [255, 64, 64, 255],
  positive: [255, 160, 40, 255],
  negative: [60, 140, 255, 255],
  result: [255, 255, 255, 230],
  label: [255, 255, 255, 255],
};

/** A marker's colour as CSS, opaque (the key's swatches). */
export function markerColourCss(kind: MarkerKind): string {
  const [r, g, b] = MARKER_COLOURS[kind];
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * The markers a query puts on the map, named in the order they matter to it: the similarity
 * panel's key and the PNG snapshot's key both read this list.
 */
export const MARKER_KEY: readonly { kind: MarkerKind; label: string }[] = [
  { kind: 'query', label: 'query' },
  { kind: 'result', label: 'top 10' },
  { kind: 'positive', label: 'like (shift-click)' },
  { kind: 'negative', label: 'unlike (alt-click)' },
];
