import type { LayerId } from '../lib/state/index.ts';

/** One row of the layer panel: a map layer the user can show, hide and fade. */
export interface LayerState {
  id: LayerId;
  label: string;
  visible: boolean;
  opacity: number;
  /** False until the layer has something to draw (its row is greyed out). */
  available: boolean;
}
