import type { RangeStore } from '../cog/index.ts';
import type { SceneItem } from '../stac/index.ts';
import { canonicalJson } from '../text/index.ts';
import type { SceneListRequest } from './scene.ts';

/**
 * What the scene reader keeps across visits: COG byte ranges (cog's RangeStore) and the items
 * each search found, used only when its server cannot be reached. scene/ owns this interface;
 * the browser's implementation (cache/scene-cache.ts) sits higher up and is handed in.
 */
export interface SceneStore extends RangeStore {
  /** Keeps a search's items for an offline revisit, in the background. */
  keepItems(key: string, items: readonly SceneItem[]): void;
  /** The items a search found when it last reached its server, and when that was. */
  storedItems(key: string): Promise<{ items: SceneItem[]; savedAt: string } | undefined>;
}

/** The key of a search's answer: what was searched (a pack catalog, or STAC search fields). */
export function searchKey(request: SceneListRequest): string {
  const what =
    request.kind === 'pack'
      ? { catalogUrl: request.catalogUrl }
      : {
          endpoint: request.endpoint,
          collection: request.collection,
          area: request.area,
          datetime: request.datetime,
          maxCloudCover: request.maxCloudCover,
        };
  return `search\n${canonicalJson({ kind: request.kind, ...what })}`;
}
