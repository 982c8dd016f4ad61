import { ByteStore, CACHE_DB } from '../../../src/lib/cache/index.ts';
import { serializeError } from '../../../src/lib/errors.ts';
import type { CacheHarness } from './protocol.ts';

/**
 * Test page for the IndexedDB store in real Chromium: each scenario starts from an empty
 * cache, opens its own connection and closes it, and returns plain data for the test to check.
 */
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill).buffer;
const read = (found: { bytes: ArrayBuffer } | undefined) => (found ? [...new Uint8Array(found.bytes)] : null);

async function fresh(): Promise<ByteStore> {
  const store = await ByteStore.open();
  await store.setBudget(null);
  await store.clear();
  return store;
}

async function withStore<T>(run: (store: ByteStore) => Promise<T>): Promise<T> {
  const store = await fresh();
  try {
    return await run(store);
  } finally {
    store.close();
  }
}

const keys = async (store: ByteStore) => (await store.list('')).map((e) => e.key).sort();

const harness: CacheHarness = {
  roundTrip: () =>
    withStore(async (store) => {
      await store.put('tile\na', 'tile', new Uint8Array([1, 2, 3]).buffer, { size: 3 });
      await store.put('tile\nb', 'tile', bytes(10, 4), { size: 10 });
      await store.put('embedding\nx', 'embedding', bytes(100, 5), { width: 10 });
      const got = read(await store.get('tile\na'));
      const missing = (await store.get('tile\nnone')) === undefined;
      const listed = (await store.list('tile\n')).map((e) => e.key).sort();
      const stats = await store.stats();
      store.close();
      const again = await ByteStore.open();
      try {
        const found = await again.get('tile\na');
        const meta = (await again.list('embedding\n'))[0]?.meta;
        return { got, missing, listed, stats, reopened: read(found), meta };
      } finally {
        again.close();
      }
    }),

  evict: () =>
    withStore(async (store) => {
      await store.setBudget(1000);
      await store.put('a', 'tile', bytes(400, 1), {});
      await store.put('b', 'tile', bytes(400, 2), {});
      await store.put('c', 'tile', bytes(400, 3), {}); // 1200 > 1000: a, the oldest, goes
      await store.get('b'); // b is now used more recently than c
      await store.put('d', 'embedding', bytes(400, 4), {}); // c goes
      const kept = await keys(store);
      const total = (await store.stats()).bytes;
      const tooLarge = !(await store.put('huge', 'embedding', bytes(1001, 5), {}));
      await store.setBudget(500); // shrinking keeps only the most recently used entry
      return { kept, bytes: total, tooLarge, afterShrink: await keys(store) };
    }),

  readBesideReader: () =>
    withStore(async (store) => {
      await store.put('tile\nr', 'tile', new Uint8Array([4, 5]).buffer, { size: 2 });
      const other = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(CACHE_DB);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      let answered = false;
      const started = performance.now();
      // A reader that asks again each time it is answered stays open until it stops asking.
      const reader = new Promise<'read' | 'time'>((resolve) => {
        const tx = other.transaction(['entries', 'bytes'], 'readonly');
        const again = () => {
          if (answered) return resolve('read');
          if (performance.now() - started > 10_000) return resolve('time');
          tx.objectStore('entries').count().onsuccess = again;
        };
        again();
      });
      const got = read(await store.get('tile\nr'));
      answered = true;
      const readerEndedBy = await reader;
      other.close();
      return { got, readerEndedBy };
    }),

  usesOutliveClose: () =>
    withStore(async (store) => {
      for (const key of ['a', 'b', 'c']) await store.put(key, 'tile', bytes(4, 1), {});
      await store.get('a');
      store.close();
      const again = await ByteStore.open();
      try {
        const entries = await again.list('');
        return { order: entries.sort((x, y) => x.lastUsed - y.lastUsed).map((e) => e.key) };
      } finally {
        again.close();
      }
    }),

  usesWhileReading: () =>
    withStore(async (store) => {
      await store.put('tile\nbusy', 'tile', bytes(4, 1), {});
      const other = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(CACHE_DB);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const lastUsed = () =>
        new Promise<number>((resolve, reject) => {
          const r = other.transaction('entries', 'readonly').objectStore('entries').get('tile\nbusy');
          r.onsuccess = () => resolve((r.result as { lastUsed: number }).lastUsed);
          r.onerror = () => reject(r.error);
        });
      const written = await lastUsed();
      let seenDuringReads = false;
      let reads = 0;
      const end = performance.now() + 1500;
      while (performance.now() < end) {
        await store.get('tile\nbusy');
        reads++;
        if (!seenDuringReads) seenDuringReads = (await lastUsed()) > written;
        await new Promise((wait) => setTimeout(wait, 50));
      }
      other.close();
      return { seenDuringReads, reads };
    }),

  fromWorker: () =>
    withStore(async (store) => {
      const worker = new Worker(new URL('./cache-store.worker.ts', import.meta.url), { type: 'module' });
      const answer = await new Promise<unknown>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve(`error: ${event.message}`);
        worker.postMessage('go');
      });
      worker.terminate();
      if (answer !== 'done') throw new Error(String(answer));
      return { got: read(await store.get('tile\nworker')), tiles: (await store.stats()).byKind.tile.entries };
    }),

  corrupt: () =>
    withStore(async (store) => {
      await store.put('tile\nbad', 'tile', bytes(16, 1), { size: 16 });
      await store.put('tile\ngood', 'tile', bytes(16, 2), { size: 16 });
      // Another writer (an older app, a broken write) left bytes that do not match the facts.
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(CACHE_DB);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('bytes', 'readwrite');
          tx.objectStore('bytes').put(bytes(3, 9), 'tile\nbad');
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
      try {
        await store.get('tile\nbad');
        return { error: 'none', code: 'none', left: await keys(store) };
      } catch (error) {
        const e = serializeError(error);
        return { error: e.message, code: e.code, left: await keys(store) };
      }
    }),

  clear: () =>
    withStore(async (store) => {
      await store.put('tile\na', 'tile', bytes(10, 1), {});
      await store.put('embedding\nb', 'embedding', bytes(20, 1), {});
      const removed = await store.clear();
      return { removed: removed.entries, after: await store.stats() };
    }),

  autoBudget: () =>
    withStore(async (store) => {
      const budget = await store.budget();
      return { ...budget, quota: (await navigator.storage.estimate()).quota };
    }),
};

window.cacheHarness = harness;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
