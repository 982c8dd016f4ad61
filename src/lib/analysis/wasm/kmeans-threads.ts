import { AppError } from '../../errors.ts';
import type { AssignFn } from './kmeans-kernel.ts';
import { type LaneJob, runLane } from './lane.ts';

/** A helper thread running runLane on the shared memory. */
export interface Helper {
  run(job: LaneJob): Promise<{ changed: number; inertia: number }>;
  terminate(): void;
}

interface Port {
  post(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  onError(handler: (error: unknown) => void): void;
  terminate(): void;
}

// The helper's whole program: runLane's own source plus a message loop. `on` and `post` are
// bound per platform by the prelude (Node worker_threads or a Web Worker).
const HELPER_BODY = `
const runLane = ${runLane.toString()};
let assign;
let buffer;
on((m) => {
  if (m.type === 'init') {
    const instance = new WebAssembly.Instance(m.module, { env: { memory: m.memory } });
    assign = instance.exports.assign;
    buffer = m.memory.buffer;
    post({ type: 'ready' });
    return;
  }
  post({ type: 'done', ...runLane(assign, buffer, m.job) });
});`;

const NODE_PRELUDE =
  "const { parentPort } = require('node:worker_threads');" +
  'const on = (f) => parentPort.on("message", f); const post = (m) => parentPort.postMessage(m);';
const WEB_PRELUDE =
  'const on = (f) => { self.onmessage = (e) => f(e.data); }; const post = (m) => self.postMessage(m);';

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message' | 'error', handler: (value: unknown) => void): void;
  terminate(): Promise<number>;
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return (
    typeof p?.versions?.node === 'string' &&
    typeof (globalThis as { window?: unknown }).window === 'undefined'
  );
}

async function openPort(): Promise<Port> {
  if (isNode()) {
    // A computed specifier keeps bundlers from pulling node:worker_threads into the web build.
    const specifier = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ specifier)) as {
      Worker: new (code: string, options: { eval: true }) => NodeWorker;
    };
    const worker = new Worker(NODE_PRELUDE + HELPER_BODY, { eval: true });
    return {
      post: (m) => worker.postMessage(m),
      onMessage: (h) => worker.on('message', h),
      onError: (h) => worker.on('error', h),
      terminate: () => void worker.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([WEB_PRELUDE + HELPER_BODY], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (h) => worker.addEventListener('message', (e) => h(e.data)),
    onError: (h) => worker.addEventListener('error', (e) => h(e)),
    terminate: () => worker.terminate(),
  };
}

/** Starts `count` helpers, each instantiating `module` on the shared `memory`. */
export async function startHelpers(
  count: number,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<Helper[]> {
  const helpers: Helper[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = await openPort();
      let pending:
        | { resolve: (v: { changed: number; inertia: number }) => void; reject: (e: unknown) => void }
        | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        port.onError((error) => {
          const failure = new AppError('internal', `A k-means helper thread failed: ${String(error)}`);
          reject(failure);
          pending?.reject(failure);
        });
        port.onMessage((message) => {
          const m = message as { type: string; changed: number; inertia: number };
          if (m.type === 'ready') resolve();
          else pending?.resolve({ changed: m.changed, inertia: m.inertia });
        });
      });
      port.post({ type: 'init', module, memory });
      helpers.push({
        run(job) {
          return new Promise((resolve, reject) => {
            pending = { resolve, reject };
            port.post({ type: 'job', job });
          });
        },
        terminate: () => port.terminate(),
      });
      await ready;
    }
    return helpers;
  } catch (error) {
    for (const h of helpers) h.terminate();
    throw error;
  }
}

/** Threads worth using here: the cores, at most `cap`; 1 where shared memory is not allowed. */
export async function availableThreads(cap: number): Promise<number> {
  const shared =
    typeof SharedArrayBuffer === 'function' && (isNode() || globalThis.crossOriginIsolated === true);
  if (!shared) return 1;
  let cores =
    (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
  if (isNode()) {
    const specifier = 'node:os';
    const os = (await import(/* @vite-ignore */ specifier)) as { availableParallelism(): number };
    cores = os.availableParallelism();
  }
  return Math.max(1, Math.min(cap, cores));
}

export type { AssignFn };
