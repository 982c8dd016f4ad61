/**
 * How the results are shown, as opposed to what they are: the order of the map's layers,
 * which are hidden, their opacity, the hidden clusters and whether PCA colours are on. A link
 * and a saved session carry it, so a reload (or a colleague opening the link) sees the same
 * map, not the results stacked and shown as they happened to arrive.
 */

/** Map layers the user can show, hide and fade; all but the imagery and the outline stack. */
export type LayerId = 'imagery' | 'similarity' | 'clusters' | 'classes' | 'pca' | 'change' | 'aoi';
/** The layers the user orders (the imagery lies under them, the area outline over them). */
export type StackedLayerId = 'similarity' | 'clusters' | 'classes' | 'pca' | 'change';

/** Top first: a new click's heat map over clusters, clusters over PCA colours. */
export const DEFAULT_LAYER_ORDER: readonly StackedLayerId[] = [
  'similarity',
  'classes',
  'change',
  'clusters',
  'pca',
];
export const DEFAULT_OPACITY: Readonly<Record<LayerId, number>> = {
  imagery: 1,
  similarity: 0.85,
  clusters: 0.75,
  classes: 0.75,
  pca: 0.85,
  change: 0.85,
  aoi: 1,
};
const LAYER_IDS = Object.keys(DEFAULT_OPACITY) as LayerId[];

export interface DisplayState {
  /** Top first; absent: DEFAULT_LAYER_ORDER. */
  order?: StackedLayerId[];
  /** Layers switched off. */
  hidden?: LayerId[];
  /** Opacities that differ from DEFAULT_OPACITY. */
  opacity?: Partial<Record<LayerId, number>>;
  /** Cluster values (as in the exported GeoTIFF) switched off in the cluster layer. */
  hiddenClusters?: number[];
  /** PCA colours were computed: recompute them. */
  pca?: boolean;
}

const isLayer = (id: string): id is LayerId => (LAYER_IDS as string[]).includes(id);
const isStacked = (id: string): id is StackedLayerId => (DEFAULT_LAYER_ORDER as string[]).includes(id);

/** `id` moved to the top of the stack (a new result is shown over the older ones). */
export function raiseLayer(order: readonly StackedLayerId[], id: StackedLayerId): StackedLayerId[] {
  return [id, ...order.filter((l) => l !== id)];
}

/** `id` moved one place up (-1, towards the top) or down (+1); unchanged at either end. */
export function moveLayer(
  order: readonly StackedLayerId[],
  id: StackedLayerId,
  step: -1 | 1,
): StackedLayerId[] {
  const from = order.indexOf(id);
  const to = from + step;
  if (from < 0 || to < 0 || to >= order.length) return [...order];
  const next = [...order];
  next[from] = next[to]!;
  next[to] = id;
  return next;
}

/** A full order from a partial one: layers it leaves out keep their default places after it. */
export function completeOrder(order: readonly StackedLayerId[] | undefined): StackedLayerId[] {
  const given = order ?? [];
  return [...given, ...DEFAULT_LAYER_ORDER.filter((l) => !given.includes(l))];
}

/** Reads the display parameters of a link (`order`, `off`, `op`, `hide`, `pca`). */
export function parseDisplayParams(params: URLSearchParams, rejected: string[]): DisplayState | undefined {
  const display: DisplayState = {};
  const list = (key: string) => params.get(key)?.split(',') ?? [];
  const order = params.get('order');
  if (order !== null) {
    const ids = list('order');
    if (ids.every(isStacked) && new Set(ids).size === ids.length) display.order = completeOrder(ids);
    else rejected.push(`order: expected layers from ${DEFAULT_LAYER_ORDER.join(', ')}, top first`);
  }
  if (params.get('off') !== null) {
    const ids = list('off');
    if (ids.every(isLayer)) display.hidden = ids;
    else rejected.push(`off: expected layers from ${LAYER_IDS.join(', ')}`);
  }
  if (params.get('op') !== null) {
    const pairs = list('op').map((p) => p.split(':'));
    const ok = pairs.every(([id, v]) => id && isLayer(id) && v !== '' && Number(v) >= 0 && Number(v) <= 1);
    if (ok) display.opacity = Object.fromEntries(pairs.map(([id, v]) => [id, Number(v)]));
    else rejected.push('op: expected LAYER:OPACITY pairs (opacity 0 to 1)');
  }
  if (params.get('hide') !== null) {
    const values = list('hide').map(Number);
    if (values.every((v) => Number.isInteger(v) && v >= 0 && v < 20)) display.hiddenClusters = values;
    else rejected.push('hide: expected cluster values from 0 to 19');
  }
  const pca = params.get('pca');
  if (pca === '1') display.pca = true;
  else if (pca !== null) rejected.push('pca: expected 1');
  return Object.keys(display).length ? display : undefined;
}

/** Writes what differs from the defaults, so an untouched view keeps a short link. */
export function writeDisplayParams(params: URLSearchParams, display: DisplayState | undefined): void {
  if (!display) return;
  const order = display.order && completeOrder(display.order);
  if (order?.some((id, i) => id !== DEFAULT_LAYER_ORDER[i])) params.set('order', order.join(','));
  if (display.hidden?.length) params.set('off', display.hidden.join(','));
  const opacity = Object.entries(display.opacity ?? {}).filter(
    ([id, v]) => isLayer(id) && v !== undefined && v !== DEFAULT_OPACITY[id],
  );
  if (opacity.length) params.set('op', opacity.map(([id, v]) => `${id}:${Number(v?.toFixed(2))}`).join(','));
  if (display.hiddenClusters?.length)
    params.set('hide', [...display.hiddenClusters].sort((a, b) => a - b).join(','));
  if (display.pca) params.set('pca', '1');
}
