import { createReadStream, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ByteRange, planRanges } from './range.ts';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.onnx': 'application/octet-stream',
};

/**
 * Sends `status` and `headers`, then streams `source`. The headers leave with the first byte,
 * so a read that fails at once (an unreadable file) still becomes a 500; one that fails later
 * (a disk fault) or a client that goes away cuts this connection, so the client sees a
 * truncated body, never a wrong one. No stream 'error' escapes to the process (an unhandled
 * one would end the server for everybody).
 */
function stream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  source: Readable,
): Promise<void> {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  return new Promise((done) => {
    source.on('error', () => {
      if (res.headersSent) res.destroy();
      else {
        for (const name of [...Object.keys(headers), 'accept-ranges', 'etag', 'last-modified'])
          res.removeHeader(name);
        res
          .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end('The file could not be read.');
      }
      done();
    });
    res.on('close', () => {
      source.destroy();
      done();
    });
    source.pipe(res);
  });
}

/** The parts of a multipart/byteranges body, read from disk one after the other. */
function multipart(path: string, ranges: readonly ByteRange[], head: (r: ByteRange) => string, tail: string) {
  const out = new PassThrough();
  void (async () => {
    try {
      for (const range of ranges) {
        out.write(head(range));
        await pipeline(createReadStream(path, { start: range.start, end: range.end }), out, { end: false });
      }
      out.end(tail);
    } catch (error) {
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return out;
}

/**
 * Sends a file with HTTP range support (RFC 9110 §14): single ranges as 206, several as
 * multipart/byteranges streamed from disk (overlapping ranges merged, their count capped),
 * If-Range honoured, validators (as nginx forms them) on every answer: the app's tile cache
 * keys stored bytes by them, so a pack rebuilt in place is fetched afresh.
 */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  info: Stats,
): Promise<void> {
  const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const size = info.size;
  const etag = `"${info.mtime.getTime().toString(16)}-${size.toString(16)}"`;
  const lastModified = info.mtime.toUTCString();
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', lastModified);
  // Opening first turns a file the server may not read (EACCES) into a clear answer.
  const readable = await open(path, 'r').then(
    (handle) => handle.close().then(() => true),
    () => false,
  );
  if (!readable) {
    res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('This file cannot be read.');
    return;
  }
  const ifRange = typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined;
  const plan = planRanges(req.headers.range, ifRange, size, { etag, lastModified });
  const head = req.method === 'HEAD';
  if (plan.kind === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  if (plan.kind === 'whole') {
    const headers = { 'Content-Type': type, 'Content-Length': size };
    if (head) res.writeHead(200, headers).end();
    else await stream(res, 200, headers, createReadStream(path));
    return;
  }
  const [only] = plan.ranges;
  if (only && plan.ranges.length === 1) {
    const headers = {
      'Content-Type': type,
      'Content-Length': only.end - only.start + 1,
      'Content-Range': `bytes ${only.start}-${only.end}/${size}`,
    };
    if (head) res.writeHead(206, headers).end();
    else await stream(res, 206, headers, createReadStream(path, { start: only.start, end: only.end }));
    return;
  }
  const boundary = `range-${Date.now().toString(36)}`;
  const partHead = (r: ByteRange) =>
    `\r\n--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length = plan.ranges.reduce(
    (sum, r) => sum + Buffer.byteLength(partHead(r)) + r.end - r.start + 1,
    Buffer.byteLength(tail),
  );
  const headers = { 'Content-Type': `multipart/byteranges; boundary=${boundary}`, 'Content-Length': length };
  if (head) res.writeHead(206, headers).end();
  else await stream(res, 206, headers, multipart(path, plan.ranges, partHead, tail));
}
