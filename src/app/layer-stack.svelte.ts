import {
  completeOrder,
  DEFAULT_LAYER_ORDER,
  DEFAULT_OPACITY,
  type DisplayState,
  type LayerId,
  moveLayer,
  raiseLayer,
  type StackedLayerId,
} from '../lib/state/index.ts';
import type { LayerState } from './layer-state.ts';

const LABELS: Record<LayerId, string> = {
  imagery: 'Imagery',
  similarity: 'Similarity',
  clusters: 'Clusters',
  classes: 'Classes',
  pca: 'PCA colours',
  change: 'Change',
  aoi: 'Area outline',
};

/**
 * The map's layers as the layer panel shows them: visibility, opacity and the stacking order
 * of the result layers (top first). A new result comes to the top and is shown, so a click's
 * heat map is never hidden under clusters drawn before it; the user can reorder them. The
 * order, visibility, opacity and hidden clusters are part of the view a link and a session
 * keep (`display`), and `apply` puts a kept view back after its results are recomputed.
 */
export class LayerStack {
  layers = $state<LayerState[]>(
    (Object.keys(LABELS) as LayerId[]).map((id) => ({
      id,
      label: LABELS[id],
      visible: true,
      opacity: DEFAULT_OPACITY[id],
      available: id === 'imagery',
    })),
  );
  /** Result layers, top first. */
  order = $state<StackedLayerId[]>([...DEFAULT_LAYER_ORDER]);
  /** Cluster values switched off in the cluster layer. */
  hiddenClusters = $state.raw<ReadonlySet<number>>(new Set());

  layer(id: LayerId): LayerState {
    return this.layers.find((l) => l.id === id)!;
  }

  set(id: LayerId, change: { visible?: boolean; opacity?: number }): void {
    Object.assign(this.layer(id), change);
  }

  /** A new result of this layer: on top of the others, and shown. */
  raise(id: StackedLayerId): void {
    this.order = raiseLayer(this.order, id);
    this.layer(id).visible = true;
  }

  move(id: StackedLayerId, step: -1 | 1): void {
    this.order = moveLayer(this.order, id, step);
  }

  toggleCluster(value: number): void {
    const next = new Set(this.hiddenClusters);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    this.hiddenClusters = next;
  }

  /** The panel's rows: the result layers in stacking order, then the imagery, the outline first. */
  get rows(): LayerState[] {
    return [this.layer('aoi'), ...this.order.map((id) => this.layer(id)), this.layer('imagery')];
  }

  /** What a link or session keeps of the layers. */
  get display(): DisplayState {
    const hidden = this.layers.filter((l) => l.available && !l.visible).map((l) => l.id);
    const opacity = Object.fromEntries(
      this.layers.filter((l) => l.opacity !== DEFAULT_OPACITY[l.id]).map((l) => [l.id, l.opacity]),
    );
    return {
      ...(this.order.some((id, i) => id !== DEFAULT_LAYER_ORDER[i]) ? { order: [...this.order] } : {}),
      ...(hidden.length ? { hidden } : {}),
      ...(Object.keys(opacity).length ? { opacity } : {}),
      ...(this.hiddenClusters.size ? { hiddenClusters: [...this.hiddenClusters] } : {}),
    };
  }

  /** The display a link keeps, PCA included; undefined when all is as by default. */
  viewDisplay(pca: boolean): DisplayState | undefined {
    const display = { ...this.display, ...(pca ? { pca: true } : {}) };
    return Object.keys(display).length ? display : undefined;
  }

  /** Puts a kept view back (after a reload, once its results are computed again). */
  apply(display: DisplayState): void {
    this.order = completeOrder(display.order);
    for (const l of this.layers) {
      l.visible = !display.hidden?.includes(l.id);
      l.opacity = display.opacity?.[l.id] ?? DEFAULT_OPACITY[l.id];
    }
    this.hiddenClusters = new Set(display.hiddenClusters ?? []);
  }
}
