import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A range-capable HTTP server on 127.0.0.1 over in-memory files: `put(path, bytes)` makes
 * bytes servable at `${url}${path}`, so mutated files are read through the app's real
 * range-request code without touching the disk. `route` answers other paths (STAC bodies).
 */
export interface ByteServer {
  url: string;
  put(path: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

export async function startByteServer(
  route?: (path: string, body: string) => { type: string; body: string } | undefined,
): Promise<ByteServer> {
  const files = new Map<string, Uint8Array>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const routed = route?.(req.url ?? '/', Buffer.concat(chunks).toString('utf8'));
      if (routed) {
        res.writeHead(200, { 'Content-Type': routed.type }).end(routed.body);
        return;
      }
      const file = files.get(path);
      if (!file) return void res.writeHead(404).end();
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (!range) return void res.writeHead(200, { 'Content-Length': file.length }).end(file);
      const start = Number(range[1]);
      const end = Math.min(file.length - 1, range[2] ? Number(range[2]) : file.length - 1);
      if (start >= file.length)
        return void res.writeHead(416, { 'Content-Range': `bytes */${file.length}` }).end();
      res
        .writeHead(206, {
          'Content-Range': `bytes ${start}-${end}/${file.length}`,
          'Content-Length': end - start + 1,
        })
        .end(file.subarray(start, end + 1));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    put: (path, bytes) => files.set(path, bytes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
