import type { ViewState } from './url-state.ts';

/**
 * Whether rebuilding a linked view needs embeddings. A link names a model only when its
 * embeddings were on screen (computed, even with no click and no clusters yet), so a model
 * alone is reason enough: skipping it would lose the embeddings on a reload, and the next
 * rewrite of the link would drop the model.
 */
export function linkNeedsEmbeddings(state: ViewState): boolean {
  return (
    state.model !== undefined ||
    state.query !== undefined ||
    state.k !== undefined ||
    state.change !== undefined
  );
}
