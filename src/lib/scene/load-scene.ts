import { AppError } from '../errors.ts';
import { fetchJson } from '../net/fetch-checked.ts';
import { parseItemCollection } from '../stac/parse-items.ts';
import { searchItems } from '../stac/search.ts';
import { chooseBestItem } from '../stac/select-item.ts';
import { loadFileScene } from './load-files.ts';
import { loadItemScene } from './load-item.ts';
import type { Scene, SceneProgress, SceneRequest } from './scene.ts';

const REQUIRED = ['red', 'green', 'blue'] as const;

/** source -> pixels: the one entry point the scene worker calls for every kind of source. */
export async function loadScene(
  request: SceneRequest,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
): Promise<Scene> {
  switch (request.kind) {
    case 'stac': {
      onProgress({ stage: 'search', done: 0, total: 1, message: `Searching ${request.endpoint}` });
      const items = await searchItems({
        endpoint: request.endpoint,
        collection: request.collection,
        bbox: request.area,
        datetime: request.datetime,
        maxCloudCover: request.maxCloudCover,
        maxItems: 50,
        signal,
      });
      const item = chooseBestItem(items, REQUIRED, request.area);
      onProgress({
        stage: 'search',
        done: 1,
        total: 1,
        message: `Found ${items.length} scene(s); opening ${item.id}`,
      });
      return loadItemScene(item, 'stac', request.area, onProgress, signal);
    }
    case 'pack': {
      onProgress({ stage: 'search', done: 0, total: 1, message: `Opening ${request.catalogUrl}` });
      const json = await fetchJson(
        request.catalogUrl,
        {},
        { service: 'the pack server', signal, timeoutMs: 15_000 },
      );
      const { items } = parseItemCollection(json, request.catalogUrl, `Pack catalog ${request.catalogUrl}`);
      if (items.length === 0)
        throw new AppError('bad-input', `Pack catalog ${request.catalogUrl} has no items.`);
      const chosen = request.itemId
        ? items.find((i) => i.id === request.itemId)
        : chooseBestItem(items, REQUIRED, request.area);
      if (!chosen)
        throw new AppError('not-found', `Pack ${request.catalogUrl} has no scene ${request.itemId}.`);
      onProgress({ stage: 'search', done: 1, total: 1, message: `Opening ${chosen.id}` });
      return loadItemScene(chosen, 'pack', request.area, onProgress, signal);
    }
    case 'files':
      return loadFileScene(request.files, request.convention, onProgress, signal);
  }
}
