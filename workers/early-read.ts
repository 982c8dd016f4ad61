import type { SceneProgress, SceneRequest } from '../src/lib/scene/index.ts';
import { sceneRequestKey } from '../src/lib/scene/index.ts';

/**
 * A read the scene worker began before anyone asked (the start-up pack, startPack), waiting to
 * be adopted by the load() of the same request. The request is known only once the pack index
 * has answered, hence a promise; the progress said so far is kept for the adopter.
 */
export class EarlyRead<T> {
  private report: (p: SceneProgress) => void = () => undefined;
  private last: SceneProgress | undefined;
  private resolveKey: (key: string | undefined) => void = () => undefined;
  private readonly key = new Promise<string | undefined>((resolve) => (this.resolveKey = resolve));
  result: Promise<T> | undefined;

  /** The progress callback the read reports to: kept, and passed on once adopted. */
  readonly onProgress = (p: SceneProgress): void => {
    this.last = p;
    this.report(p);
  };

  /** The request being read (undefined: none, the index failed or lacks the pack). */
  settle(request: SceneRequest | undefined): void {
    this.resolveKey(request && sceneRequestKey(request));
  }

  /** The read's answer for a load() of `request` with its own progress, or undefined when it reads another. */
  async adopt(request: SceneRequest, onProgress: (p: SceneProgress) => void): Promise<T | undefined> {
    // Only a pack request can be the start-up's: another kind need not wait for the index.
    if (!this.result || request.kind !== 'pack' || (await this.key) !== sceneRequestKey(request))
      return undefined;
    this.report = onProgress;
    if (this.last) onProgress(this.last);
    return this.result;
  }
}
