import { SceneClient } from '../lib/clients/index.ts';
import { stageEnd, stageStart } from '../lib/perf/index.ts';
import {
  listPacks,
  type PackEntry,
  type PackStartPlan,
  packStartRequest,
  type SceneRequest,
} from '../lib/scene/index.ts';
import { parseViewState, type ViewState } from '../lib/state/index.ts';

export type { PackEntry } from '../lib/scene/index.ts';

type PackSource = Extract<NonNullable<ViewState['source']>, { kind: 'pack' }>;

/** Whether a start-up with this link opens a pack (not files, a STAC search or embeddings alone). */
function opensPack(state: ViewState): boolean {
  if (state.files) return false;
  if (state.precomputed?.area && !state.source) return false;
  return state.source?.kind !== 'stac';
}

/** What the link says of the pack to open (the scene worker resolves it against the index). */
function planOf(state: ViewState): PackStartPlan {
  const src = state.source?.kind === 'pack' ? state.source : undefined;
  return {
    name: src?.name,
    area: src?.bbox,
    polygon: src?.polygon,
    resolutionM: src?.resolutionM,
    itemIds: state.items,
  };
}

/**
 * The pack a start-up opens (the linked one, else the first), cut as the link says, and the
 * request that reads it; undefined when the link names a pack this server lacks. The same
 * request the scene worker began reading at start-up (packStartRequest), so its load adopts it.
 */
export function packStart(
  state: ViewState,
  found: readonly PackEntry[],
): { pack: PackEntry; linked: PackSource; request: SceneRequest } | undefined {
  const start = packStartRequest(planOf(state), found);
  if (!start) return undefined;
  const src = state.source;
  const linked: PackSource = src?.kind === 'pack' ? src : { kind: 'pack', name: start.pack.name };
  return { ...start, linked };
}

let early: { scenes: SceneClient | undefined; packs: Promise<PackEntry[]> } | undefined;

const packIndexUrl = () => new URL('packs/index.json', location.href).href;

/**
 * Called first thing (src/early.ts, a small entry the page runs before its main script has
 * loaded; main.ts calls it too, which then does nothing): the scene worker starts and is told
 * to read the pack the start-up opens, resolving the pack index itself, so neither the main
 * script's download nor the map's first (on a software GPU, slow) frames hold the read back:
 * a worker created while the main thread is busy starts only when it yields. The Explorer takes
 * the scene worker over (takeStartupScenes) and its first load adopts the read.
 */
export function beginStartup(): void {
  if (early) return;
  const scenes = new SceneClient();
  const packs = listPacks(packIndexUrl());
  early = { scenes, packs };
  const { state } = parseViewState(location.search);
  if (!opensPack(state)) return;
  stageStart('scene-read');
  void scenes.startPack(packIndexUrl(), planOf(state)).finally(() => stageEnd('scene-read'));
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
