import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { sendFile } from '../../server/send-file.ts';

/**
 * A real range-capable HTTP server on 127.0.0.1 over a folder (the project's own sendFile:
 * single and multipart ranges, ETags), with CORS for a page of another origin, logging every
 * request and the bytes it sent so tests can count what a read fetched.
 */
export class DirServer {
  readonly log: { path: string; range: string | undefined; bytes: number; status: number }[] = [];
  url = '';
  private server: Server | undefined;

  constructor(readonly root: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = normalize(join(this.root, path));
      const entry = { path, range: req.headers.range, bytes: 0, status: 0 };
      this.log.push(entry);
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'Range, If-Range');
      res.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Length, ETag, Last-Modified');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      const write = res.write.bind(res);
      res.write = ((chunk: Uint8Array | string, ...rest: never[]) => {
        entry.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      let info: ReturnType<typeof statSync> | undefined;
      try {
        info = file.startsWith(this.root) ? statSync(file) : undefined;
      } catch {
        info = undefined;
      }
      if (!info?.isFile()) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no ${path}`);
      void sendFile(req, res, file, info);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Bytes of bodies sent for paths starting with `prefix` since the log was cleared. */
  bytesSent(prefix = '/'): number {
    return this.log.filter((e) => e.path.startsWith(prefix)).reduce((n, e) => n + e.bytes, 0);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
