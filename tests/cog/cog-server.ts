import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRange } from '../../server/range.ts';

/** How the test server treats one file. */
export type Behaviour = 'range' | 'ignore-range' | 'hang' | 'stall' | 'reset' | 'cut-body';

export interface LoggedRequest {
  method: string;
  path: string;
  range: string | undefined;
}

/**
 * A real HTTP server on 127.0.0.1 over in-memory files, for COG reader tests: single-range
 * answers (206), or a whole-file 200 for files marked 'ignore-range', or no answer at all
 * ('hang'). It logs requests and the highest number of requests in flight at once.
 */
export class CogServer {
  readonly files = new Map<string, { bytes: Uint8Array; behaviour: Behaviour; etag?: string }>();
  /** How many requests of a 'reset' or 'cut-body' file fail before it answers normally. */
  failures = 2;
  private failed = new Map<string, number>();
  readonly log: LoggedRequest[] = [];
  maxInFlight = 0;
  inFlight = 0;
  /** Milliseconds each answer waits (to let requests pile up for the concurrency check). */
  delayMs = 0;
  closedEarly = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  reset(): void {
    this.log.length = 0;
    this.maxInFlight = 0;
    this.closedEarly = 0;
    this.failed.clear();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.log.push({ method: req.method ?? 'GET', path, range: req.headers.range });
    const file = this.files.get(path);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no ${path}`);
      return;
    }
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let finished = false;
    res.on('close', () => {
      this.inFlight--;
      if (!finished) this.closedEarly++;
    });
    res.on('finish', () => {
      finished = true;
    });
    if (file.behaviour === 'hang') return;
    const failures = this.failed.get(path) ?? 0;
    if ((file.behaviour === 'reset' || file.behaviour === 'cut-body') && failures < this.failures) {
      this.failed.set(path, failures + 1);
      // 'reset': the connection dies before any answer; 'cut-body': after the headers and 100 bytes.
      if (file.behaviour === 'reset') return void req.socket.destroy();
      const range = parseRange(req.headers.range, file.bytes.length);
      const r = range.kind === 'ranges' ? range.ranges[0]! : { start: 0, end: file.bytes.length - 1 };
      res.writeHead(206, {
        'Content-Type': 'image/tiff',
        'Content-Range': `bytes ${r.start}-${r.end}/${file.bytes.length}`,
        'Content-Length': r.end - r.start + 1,
      });
      res.write(file.bytes.subarray(r.start, r.start + 100), () => res.destroy());
      return;
    }
    if (file.behaviour === 'stall') {
      // Headers and the first bytes of a full answer, then silence.
      res.writeHead(206, {
        'Content-Type': 'image/tiff',
        'Content-Range': `bytes 0-16383/${file.bytes.length}`,
        'Content-Length': 16384,
      });
      res.write(file.bytes.subarray(0, 100));
      return;
    }
    if (file.etag) res.setHeader('ETag', file.etag);
    setTimeout(() => {
      const size = file.bytes.length;
      const range = parseRange(req.headers.range, size);
      if (file.behaviour === 'ignore-range' || range.kind !== 'ranges') {
        res.writeHead(200, { 'Content-Type': 'image/tiff', 'Content-Length': size }).end(file.bytes);
        return;
      }
      const r = range.ranges[0]!;
      res
        .writeHead(206, {
          'Content-Type': 'image/tiff',
          'Content-Range': `bytes ${r.start}-${r.end}/${size}`,
          'Content-Length': r.end - r.start + 1,
        })
        .end(file.bytes.subarray(r.start, r.end + 1));
    }, this.delayMs);
  }
}
