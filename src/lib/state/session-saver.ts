import { AppError } from '../errors.ts';
import type { Session } from './session-file.ts';

/** Where saving stands: said to the user once when it stops working, and again when it recovers. */
export type SaveStatus = { kind: 'saving' } | { kind: 'failed'; message: string; quota: boolean };

/** What the saver needs of a store (SessionStore, or any other). */
export interface SessionSink {
  save(session: Session): Promise<void>;
}

/**
 * Saves sessions as the user works and turns a failure into one clear message instead of a
 * silent stop (a full quota used to leave a renamed cluster unsaved, reverting on reload).
 * The status changes only on a transition, so the message is said once, not at every save;
 * the session itself is never lost: the message offers it as a file.
 */
export class SessionSaver {
  private status: SaveStatus = { kind: 'saving' };

  constructor(
    private readonly sink: SessionSink,
    private readonly onStatus: (status: SaveStatus) => void,
  ) {}

  /** True when saved; false when not (the status said why). */
  async save(session: Session): Promise<boolean> {
    try {
      await this.sink.save(session);
      if (this.status.kind === 'failed') this.set({ kind: 'saving' });
      return true;
    } catch (error) {
      if (this.status.kind !== 'failed') this.set(failure(error));
      return false;
    }
  }

  private set(status: SaveStatus): void {
    this.status = status;
    this.onStatus(status);
  }
}

function failure(error: unknown): SaveStatus {
  const quota = error instanceof AppError && error.code === 'too-large';
  const why = quota
    ? "The browser's storage for this site is full"
    : `The browser could not store it: ${error instanceof Error ? error.message.replace(/\.$/, '') : 'unknown error'}`;
  return {
    kind: 'failed',
    quota,
    message: `${why}: this session is no longer saved as you work, so a reload would lose recent changes. Export it as a file to keep it${quota ? ', or free space with Clear cache' : ''}.`,
  };
}
