import { AppError } from '../errors.ts';
import type { Session } from './session-file.ts';

const DB = 'earth-embedding-explorer';
const STORE = 'sessions';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () =>
      reject(new AppError('internal', `Browser storage failed: ${r.error?.message ?? 'unknown error'}`));
  });
}

/**
 * Sessions kept in the browser's IndexedDB, saved as the user works, so a reload or a crash
 * loses nothing. Whoever opens the store closes it.
 */
export class SessionStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<SessionStore> {
    if (typeof indexedDB === 'undefined')
      throw new AppError('unsupported', 'This browser has no IndexedDB: sessions cannot be saved.');
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    return new SessionStore(await request(r));
  }

  async save(session: Session): Promise<void> {
    await request(this.db.transaction(STORE, 'readwrite').objectStore(STORE).put(session));
  }

  async list(): Promise<Session[]> {
    const all = (await request(
      this.db.transaction(STORE, 'readonly').objectStore(STORE).getAll(),
    )) as Session[];
    return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async remove(id: string): Promise<void> {
    await request(this.db.transaction(STORE, 'readwrite').objectStore(STORE).delete(id));
  }

  close(): void {
    this.db.close();
  }
}
