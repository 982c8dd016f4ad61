import { SceneClient } from '../lib/clients/index.ts';
import { stageEnd, stageStart } from '../lib/perf/index.ts';
import type { SceneRequest } from '../lib/scene/index.ts';
import { listPacks } from '../lib/scene/index.ts';
import { parseViewState, type ViewState } from '../lib/state/index.ts';

export interface PackEntry {
  name: string;
  href: string;
}

type PackSource = Extract<NonNullable<ViewState['source']>, { kind: 'pack' }>;

/** Whether a start-up with this link opens a pack (not files, a STAC search or embeddings alone). */
function opensPack(state: ViewState): boolean {
  if (state.files) return false;
  if (state.precomputed?.area && !state.source) return false;
  return state.source?.kind !== 'stac';
}

/**
 * The pack a start-up opens (the linked one, else the first), cut as the link says, and the
 * request that reads it; undefined when the link names a pack this server lacks.
 */
export function packStart(
  state: ViewState,
  found: readonly PackEntry[],
): { pack: PackEntry; linked: PackSource; request: SceneRequest } | undefined {
  const src = state.source;
  const pack = src?.kind === 'pack' ? found.find((p) => p.name === src.name) : found[0];
  if (!pack) return undefined;
  const linked: PackSource = src?.kind === 'pack' ? src : { kind: 'pack', name: pack.name };
  const request: SceneRequest = {
    kind: 'pack',
    catalogUrl: new URL(pack.href, location.href).href,
    ...(linked.bbox ? { area: linked.bbox } : {}),
    ...(linked.polygon ? { polygon: linked.polygon } : {}),
    ...(linked.resolutionM ? { resolutionM: linked.resolutionM } : {}),
    itemIds: state.items,
  };
  return { pack, linked, request };
}

let early: { scenes: SceneClient | undefined; packs: Promise<PackEntry[]> } | undefined;

const packIndexUrl = () => new URL('packs/index.json', location.href).href;

/**
 * Called by main.ts before the app mounts: the scene worker starts, the pack index is asked
 * for, and the pack the start-up will open is read at once, while the map creates its
 * context and draws its first (on a software GPU, slow) frames. The Explorer takes the scene
 * worker over (takeStartupScenes) and its first load adopts the read.
 */
export function beginStartup(): void {
  const scenes = new SceneClient();
  const packs = listPacks(packIndexUrl());
  early = { scenes, packs };
  const { state } = parseViewState(location.search);
  if (!opensPack(state)) return;
  void packs.then(
    (found) => {
      // The Explorer has taken `scenes` over by now (it mounts first); its first load adopts this.
      const start = packStart(state, found);
      if (!start) return;
      stageStart('scene-read');
      void scenes.prefetch(start.request).finally(() => stageEnd('scene-read'));
    },
    () => undefined,
  );
}

/** The scene worker beginStartup() started (once; later callers make their own). */
export function takeStartupScenes(): SceneClient {
  const scenes = early?.scenes;
  if (early) early.scenes = undefined;
  return scenes ?? new SceneClient();
}

/** The pack index, as beginStartup() asked for it (or asked now). */
export function startupPacks(): Promise<PackEntry[]> {
  return early?.packs ?? listPacks(packIndexUrl());
}
