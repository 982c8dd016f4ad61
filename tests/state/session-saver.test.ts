import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import type { Session } from '../../src/lib/state/session-file.ts';
import { type SaveStatus, SessionSaver } from '../../src/lib/state/session-saver.ts';
import { storageError } from '../../src/lib/state/session-store.ts';

const session: Session = {
  id: 'a',
  name: 'dolomites',
  savedAt: '2026-01-01T00:00:00.000Z',
  view: { source: { kind: 'pack', name: 'dolomites-2022-06' } },
  clusterNames: ['pasture'],
};

/** A store that fails while `full` is set, as IndexedDB does with its quota used up. */
class Sink {
  full = false;
  saved: Session[] = [];
  async save(s: Session): Promise<void> {
    if (this.full) throw new AppError('too-large', "The browser's storage for this site is full.");
    this.saved.push(s);
  }
}

describe('SessionSaver', () => {
  it('says a full quota once, offers the file, and says when saving works again', async () => {
    const sink = new Sink();
    const said: SaveStatus[] = [];
    const saver = new SessionSaver(sink, (s) => said.push(s));
    expect(await saver.save(session)).toBe(true);
    expect(said).toEqual([]);
    sink.full = true;
    expect(await saver.save(session)).toBe(false);
    expect(await saver.save(session)).toBe(false);
    expect(said).toHaveLength(1);
    const [failed] = said;
    expect(failed?.kind === 'failed' && failed.quota).toBe(true);
    expect(failed?.kind === 'failed' ? failed.message : '').toMatch(/full.*Export it as a file/);
    sink.full = false;
    expect(await saver.save(session)).toBe(true);
    expect(said.at(-1)).toEqual({ kind: 'saving' });
  });

  it('names another storage failure without calling it a full quota', async () => {
    const said: SaveStatus[] = [];
    const saver = new SessionSaver(
      {
        save: () => Promise.reject(new AppError('internal', 'Browser storage failed: disk I/O')),
      },
      (s) => said.push(s),
    );
    await saver.save(session);
    expect(said[0]).toMatchObject({ kind: 'failed', quota: false });
    expect(said[0]?.kind === 'failed' ? said[0].message : '').toContain('disk I/O');
  });
});

describe('storageError: what IndexedDB failures say', () => {
  it('a full quota, a closed connection, anything else: no raw browser text', () => {
    expect(storageError(new DOMException('Quota exceeded.', 'QuotaExceededError'))).toMatchObject({
      code: 'too-large',
      message: "The browser's storage for this site is full.",
    });
    expect(
      storageError(new DOMException('The database connection is closing.', 'InvalidStateError')).message,
    ).toBe("The browser closed this site's storage (were its site data cleared?).");
    expect(storageError(new DOMException('x', 'UnknownError')).message).toBe(
      'Browser storage failed (UnknownError).',
    );
    expect(storageError(null).message).toBe('Browser storage failed.');
  });
});
