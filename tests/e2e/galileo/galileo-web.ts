import type { GalileoGoldenFile } from '../../encoder/galileo-golden-cases.ts';
import type { GalileoWebPlan, GalileoWebReply, GalileoWebRequest, GalileoWebRun } from './protocol.ts';

/**
 * Test page: fetches the plan, the graphs it needs and both golden files (the test process
 * serves them), runs them in one dedicated module worker as the app's encoder worker would,
 * and leaves the reply on window for the test to read.
 */
const status = document.getElementById('status');

function finish(reply: GalileoWebReply): void {
  window.__galileoResult = reply;
  if (status) status.textContent = reply.ok ? 'done' : `error: ${reply.error}`;
}

const bytes = async (url: string): Promise<Uint8Array> =>
  new Uint8Array(await (await fetch(url)).arrayBuffer());
const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

async function main(): Promise<void> {
  const [plan, golden, pixelGolden] = await Promise.all([
    json<GalileoWebPlan>('/galileo-e2e/plan.json'),
    json<GalileoGoldenFile>('/galileo-e2e/golden.json'),
    json<GalileoGoldenFile>('/galileo-e2e/golden-pixels.json'),
  ]);
  const all = [...golden.cases, ...pixelGolden.cases];
  const runs: GalileoWebRun[] = await Promise.all(
    plan.runs.map(async ({ dtype, cases: names }) => {
      const cases = all.filter((c) => names.includes(c.name));
      const patches = [...new Set(cases.map((c) => c.patch_size))];
      const graphs = await Promise.all(
        patches.map(async (p) => [p, await bytes(`/galileo-e2e/${dtype}-p${p}.onnx`)] as const),
      );
      return { dtype, cases, models: Object.fromEntries(graphs) };
    }),
  );
  const worker = new Worker(new URL('./galileo-web.worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (event) =>
    finish({ ok: false, error: `worker error: ${event.message || 'failed to load'}` });
  worker.onmessage = (event: MessageEvent<GalileoWebReply>) => {
    worker.terminate();
    finish(event.data);
  };
  const request: GalileoWebRequest = {
    runs,
    executionProvider: plan.executionProvider,
    threads: plan.threads,
    pixels: plan.pixels,
  };
  worker.postMessage(
    request,
    runs.flatMap((r) => Object.values(r.models).map((m) => m.buffer)),
  );
}

main().catch((error: unknown) =>
  finish({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
