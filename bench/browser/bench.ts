import type { EncodeParams } from '../encode-loop.ts';
import type { GalileoParams } from '../galileo-loop.ts';
import type { MosaiksBenchParams } from '../mosaiks-loop.ts';
import type { PrestoParams } from '../presto-loop.ts';
import { queryNumbers, runBenchPage } from './bench-page.ts';
import type { OrtBenchRequest } from './bench-protocol.ts';

/**
 * bench.html?bench=<name>&...: the page of each browser bench, which bench/<name>-web.ts opens.
 * Each names its worker (a literal `new Worker(new URL(...))`, so that Vite bundles it) and
 * reads its parameters from the query; bench-page.ts does the rest.
 */
const query = new URLSearchParams(location.search);

switch (query.get('bench')) {
  case 'spectral':
    void runBenchPage<OrtBenchRequest<EncodeParams>>({
      startWorker: () =>
        new Worker(new URL('./encoder-bench.worker.ts', import.meta.url), { type: 'module' }),
      request: () => queryNumbers(query, ['threads', 'pixels', 'batch', 'runs', 'seed']),
    });
    break;
  case 'mosaiks':
    void runBenchPage<OrtBenchRequest<MosaiksBenchParams>>({
      startWorker: () =>
        new Worker(new URL('./mosaiks-bench.worker.ts', import.meta.url), { type: 'module' }),
      request: () => queryNumbers(query, ['threads', 'side', 'runs', 'seed']),
    });
    break;
  case 'presto':
    // The bench process serves the model of each variant at /presto-bench/<file>.
    void runBenchPage<OrtBenchRequest<PrestoParams & { model: Uint8Array }>>({
      startWorker: () => new Worker(new URL('./presto-bench.worker.ts', import.meta.url), { type: 'module' }),
      request: async () => {
        const response = await fetch(`/presto-bench/${query.get('file') ?? ''}`);
        if (!response.ok) throw new Error(`model fetch answered HTTP ${response.status}`);
        const model = new Uint8Array(await response.arrayBuffer());
        return { model, ...queryNumbers(query, ['threads', 'pixels', 'batch', 'runs', 'seed', 'warmupMs']) };
      },
      transfer: (request) => [request.model.buffer],
    });
    break;
  case 'galileo':
    // The bench process serves both models of a weight type at /galileo-bench/<model>.<dtype>.
    void runBenchPage<OrtBenchRequest<GalileoParams & { galileo: Uint8Array; presto: Uint8Array }>>({
      startWorker: () =>
        new Worker(new URL('./galileo-bench.worker.ts', import.meta.url), { type: 'module' }),
      request: async () => {
        const fetchModel = async (model: string): Promise<Uint8Array> => {
          const response = await fetch(`/galileo-bench/${model}.${query.get('dtype') ?? ''}`);
          if (!response.ok) throw new Error(`model fetch answered HTTP ${response.status}`);
          return new Uint8Array(await response.arrayBuffer());
        };
        const [galileo, presto] = await Promise.all([fetchModel('galileo'), fetchModel('presto')]);
        const numbers = queryNumbers(query, [
          'threads',
          'pixels',
          'batch',
          'steps',
          'runs',
          'seed',
          'warmupMs',
        ]);
        return { galileo, presto, ...numbers };
      },
      transfer: (request) => [request.galileo.buffer, request.presto.buffer],
    });
    break;
  default:
    window.__benchError = `no bench named ${query.get('bench')}`;
}
