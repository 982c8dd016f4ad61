import { ByteStore } from '../../../src/lib/cache/index.ts';

/** Writes one tile entry through a worker's own connection, then closes it and says so. */
self.onmessage = async () => {
  try {
    const store = await ByteStore.open();
    await store.put('tile\nworker', 'tile', new Uint8Array([7, 8, 9]).buffer, { size: 3 });
    store.close();
    self.postMessage('done');
  } catch (error) {
    self.postMessage(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
};
