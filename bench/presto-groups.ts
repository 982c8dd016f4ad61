import { MODEL_DTYPES } from '../src/lib/encoder/index.ts';
import type { Group, Sizes } from './group.ts';
import type { PrestoParams } from './presto-loop.ts';
import { prestoEncodeNode, prestoNodeName } from './presto-node.ts';
import { type PrestoWebVariant, prestoEncodeWeb } from './presto-web.ts';

/**
 * Presto costs ~10 MFLOP per T = 1 pixel (11 tokens x 2 blocks), thousands of times the
 * spectral encoder, so it gets its own, smaller sizes: a 1-thread WASM pass of the full size
 * takes tens of seconds on a 2-core machine.
 */
function prestoParams(s: Sizes): PrestoParams {
  return s.quick
    ? { pixels: 1024, batch: 1024, runs: 2, seed: 13, warmupMs: 1500 }
    : { pixels: 4096, batch: 2048, runs: 3, seed: 13, warmupMs: 6000 };
}

const WEB = new Map<string, PrestoWebVariant>(
  MODEL_DTYPES.flatMap((dtype) => [
    [`presto_encode_web_wasm_${dtype}_1t`, { dtype, threads: 1 }],
    [`presto_encode_web_wasm_${dtype}_2t`, { dtype, threads: 2 }],
  ]),
);

/**
 * Presto T = 1 throughput: onnxruntime-node per variant at its default threads (the
 * reference) and at 1 thread (like for like with the 1-thread WASM figure), then
 * onnxruntime-web WASM at 1 and 2 threads.
 */
export const PRESTO_GROUPS: Group[] = [
  ...MODEL_DTYPES.flatMap((dtype) =>
    [undefined, 1].map(
      (threads): Group => ({
        names: [prestoNodeName(dtype, threads)],
        run: async (_, s) =>
          new Map([
            [prestoNodeName(dtype, threads), await prestoEncodeNode(dtype, prestoParams(s), threads)],
          ]),
      }),
    ),
  ),
  {
    names: [...WEB.keys()],
    run: (selected, s) =>
      prestoEncodeWeb(
        new Map(
          selected.flatMap((name) => {
            const v = WEB.get(name);
            return v ? [[name, v] as const] : [];
          }),
        ),
        prestoParams(s),
      ),
  },
];
