import { knnBench, labelsSet, logRegPredictBench, logRegTrainBench } from './classify.ts';
import type { Group, Results } from './group.ts';

const NAMES = [
  'classify_logreg_train_10k_x128',
  'classify_logreg_predict_1m_x128',
  'classify_knn_10k_labels_1m_x128',
];

/** Classifier benchmarks (10,000 labels x 128 dims; --quick: 2,000 labels, 300 x 300 pixels). */
export const CLASSIFY_GROUPS: Group[] = [
  {
    names: NAMES,
    run(selected, s): Results {
      const set = labelsSet(s.quick ? 2000 : 10_000, 128);
      const results: Results = new Map();
      for (const name of selected) {
        if (name === NAMES[0]) results.set(name, logRegTrainBench(set));
        else if (name === NAMES[1]) results.set(name, logRegPredictBench(set, s.quick ? 300 : 1000));
        else results.set(name, knnBench(set, s.quick ? 500 : 5000, s.quick ? 20 : 100));
      }
      return results;
    },
  },
];
