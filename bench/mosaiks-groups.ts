import type { Group, Sizes } from './group.ts';
import type { MosaiksBenchParams } from './mosaiks-loop.ts';
import { MOSAIKS_NODE, mosaiksPatchesNode } from './mosaiks-node.ts';
import { mosaiksPatchesWeb } from './mosaiks-web.ts';

/**
 * A full run encodes a 1000 x 1000 x 10-band scene (62,500 patches at the defaults); --quick a
 * 300 x 300 one, so its plain-TS baseline stays a few seconds on a shared 2-core machine.
 */
export function mosaiksParams(s: Sizes): MosaiksBenchParams {
  return s.quick ? { side: 300, runs: 2, seed: 21 } : { side: 1000, runs: 3, seed: 21 };
}

const WEB_THREADS = new Map([
  ['mosaiks_patches_web_wasm', 2],
  ['mosaiks_patches_web_wasm_1t', 1],
]);

/** MOSAIKS patches/s: onnxruntime-node against the plain-TS reference, then onnxruntime-web WASM. */
export const MOSAIKS_GROUPS: Group[] = [
  {
    names: [MOSAIKS_NODE],
    run: async (_, s) => new Map([[MOSAIKS_NODE, await mosaiksPatchesNode(mosaiksParams(s))]]),
  },
  {
    names: [...WEB_THREADS.keys()],
    run: (selected, s) =>
      mosaiksPatchesWeb(
        new Map(selected.map((name) => [name, WEB_THREADS.get(name) ?? 1])),
        mosaiksParams(s),
      ),
  },
];
