import type { TesseraReadReply, TesseraReadRequest } from './protocol.ts';

/** Page side: each read runs in a fresh module worker, as the app's precomputed worker does. */
window.tesseraHarness = {
  read(request: TesseraReadRequest): Promise<TesseraReadReply> {
    return new Promise((resolve) => {
      const worker = new Worker(new URL('./tessera.worker.ts', import.meta.url), { type: 'module' });
      worker.onerror = (event) => {
        worker.terminate();
        resolve({ ok: false, code: 'worker', message: event.message || 'the worker script failed to load' });
      };
      worker.onmessage = (event: MessageEvent<TesseraReadReply>) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.postMessage(request);
    });
  },
};
