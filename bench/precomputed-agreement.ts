import {
  cosineSimilarity,
  makeRandomGrid,
  pixelVector,
  similarityAgreement,
} from '../src/lib/analysis/index.ts';
import { createEmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { mulberry32 } from '../src/lib/math/index.ts';
import type { Group, Results } from './group.ts';
import { median } from './report.ts';

const NAME = 'agreement_1m_s';

/**
 * Compare's agreement (`similarityAgreement`: Spearman's rank correlation of two similarity
 * maps over every pixel valid in both, exact, plus the overlap of their top-10) on two maps of
 * 1,000,000 pixels (300 x 300 with --quick): one click on a 64-dimension grid (AlphaEarth's
 * size) and on a noisy copy of it, as two products of one area would give. The baseline, timed
 * in the same run, is one similarity map of that grid (what the click costs anyway).
 */
export const PRECOMPUTED_AGREEMENT_GROUPS: Group[] = [
  {
    names: [NAME],
    run(_, s): Results {
      const side = s.quick ? 300 : 1000;
      const runs = s.quick ? 1 : 3;
      const a = makeRandomGrid(side, side, 64, 3);
      const random = mulberry32(5);
      const noisy = new Float32Array(a.data.length);
      for (let i = 0; i < noisy.length; i++) noisy[i] = a.data[i]! + 0.2 * (random() - 0.5);
      const b = createEmbeddingGrid(side, side, 64, noisy, a.valid.slice());
      const click = (side >> 1) * side + (side >> 1);
      const mapA = new Float32Array(side * side);
      const mapB = new Float32Array(side * side);
      const sims: number[] = [];
      const agreements: number[] = [];
      let last = similarityAgreement(mapA, mapB, side, side);
      // One untimed round first: the JIT tiers up on it.
      for (let r = 0; r <= runs; r++) {
        const t0 = performance.now();
        cosineSimilarity(a, pixelVector(a, click), mapA);
        const t1 = performance.now();
        cosineSimilarity(b, pixelVector(b, click), mapB);
        const t2 = performance.now();
        last = similarityAgreement(mapA, mapB, side, side);
        const t3 = performance.now();
        if (r === 0) continue;
        sims.push((t1 - t0 + (t2 - t1)) / 2 / 1000);
        agreements.push((t3 - t2) / 1000);
      }
      const value = median(agreements);
      const baseline = median(sims);
      return new Map([
        [
          NAME,
          {
            unit: 's',
            value,
            baseline: {
              name: 'one similarity map of the same grid (64 dimensions)',
              value: baseline,
              unit: 's',
            },
            ratio: value / baseline,
            ratio_meaning: 'agreement / one similarity map; lower is better',
            runs,
            notes:
              'Node, one thread: Spearman over every pixel (ranks by a native sort of packed float64 keys, ties averaged) and the top-10 overlap within 5 px',
            extra: { pixels: side * side, spearman: last.spearman, shared_top10: last.shared },
          },
        ],
      ]);
    },
  },
];
