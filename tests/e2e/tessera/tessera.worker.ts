/// <reference lib="webworker" />
import { serializeError } from '../../../src/lib/errors.ts';
import { tesseraProduct } from '../../../src/lib/precomputed/index.ts';
import type { TesseraReadReply, TesseraReadRequest } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = async (event: MessageEvent<TesseraReadRequest>) => {
  const { baseUrl, year, grid } = event.data;
  let progressSteps = 0;
  let reply: TesseraReadReply;
  try {
    const result = await tesseraProduct.read(
      { family: 'tessera', baseUrl, year, grid },
      { onProgress: () => progressSteps++ },
    );
    const { data, valid, dim } = result.embeddings;
    let count = 0;
    let sum = 0;
    let first = -1;
    for (let p = 0; p < valid.length; p++) {
      if (valid[p] === 0) continue;
      if (first < 0) first = p;
      count++;
      for (let b = 0; b < dim; b++) sum += data[p * dim + b]!;
    }
    reply = {
      ok: true,
      label: result.label,
      valid: count,
      sum,
      first: { pixel: first, vector: Array.from(data.subarray(first * dim, (first + 1) * dim)) },
      fetched: result.fetched,
      progressSteps,
    };
  } catch (error) {
    const { code, message } = serializeError(error);
    reply = { ok: false, code, message };
  }
  self.postMessage(reply);
};
