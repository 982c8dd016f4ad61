import { AppError } from '../errors.ts';
import type { Session } from './session-file.ts';

const DB = 'earth-embedding-explorer';
const STORE = 'sessions';

/**
 * A storage failure as an AppError a user can read: 'too-large' when the browser's quota (or
 * disk) is full; a connection the browser closed (site data cleared, storage evicted) says so.
 */
export function storageError(error: unknown): AppError {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError')
    return new AppError('too-large', "The browser's storage for this site is full.");
  if (name === 'InvalidStateError')
    return new AppError('internal', "The browser closed this site's storage (were its site data cleared?).");
  return new AppError('internal', `Browser storage failed${name ? ` (${name})` : ''}.`);
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(storageError(r.error));
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

  /**
   * Resolves once the session is stored for good: a full disk or quota aborts the transaction
   * at commit, after the put itself succeeded, so the transaction's end is what counts.
   */
  async save(session: Session): Promise<void> {
    let tx: IDBTransaction;
    try {
      tx = this.db.transaction(STORE, 'readwrite');
    } catch (error) {
      throw storageError(error);
    }
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      const fail = () => reject(storageError(tx.error));
      tx.onabort = fail;
      tx.onerror = fail;
    });
    tx.objectStore(STORE).put(session);
    await done;
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
