/**
 * Where Galileo-nano's time goes in onnxruntime-web's WASM build (the app's CPU path), per
 * operator type: `npx tsx scripts/galileo-profile.ts [--steps 1] [--batch 1024] [--model
 * public/models/galileo-nano/galileo-nano.fp32.onnx]`. Runs in Node (the same .wasm as
 * Chromium, 1 thread), with ORT's own profiler: the WASM build prints its profile as JSON
 * lines on stdout, so the profiling run is a child process whose output this one reads.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { randomSeriesBatches } from '../bench/galileo-loop.ts';
import { galileoInputsFromPresto } from '../src/lib/encoder/index.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1' },
    batch: { type: 'string', default: '1024' },
    model: { type: 'string', default: 'public/models/galileo-nano/galileo-nano.fp32.onnx' },
    child: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
const RUNS = 2;

/** The child: one warm-up run, then RUNS profiled runs; ORT prints the profile on stdout. */
async function profile(): Promise<void> {
  ort.env.wasm.numThreads = 1;
  const inputs = randomSeriesBatches({ pixels: batch, batch, steps, runs: 1, seed: 17, warmupMs: 0 });
  const b = galileoInputsFromPresto(inputs[0]!);
  const feeds = () => ({
    x: new ort.Tensor('float32', b.x, [b.count, steps, 13]),
    mask: new ort.Tensor('float32', b.mask, [b.count, steps, 13]),
    month: new ort.Tensor('int64', b.month, [b.count, steps]),
  });
  const model = readFileSync(values.model);
  const warm = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
  await warm.run(feeds());
  await warm.release();
  const session = await ort.InferenceSession.create(model, {
    graphOptimizationLevel: 'all',
    enableProfiling: true,
  });
  for (let i = 0; i <= RUNS; i++) await session.run(feeds());
  session.endProfiling();
}

/** Kernel time per operator type from the profile's JSON lines (the first, cold run left out). */
function summarise(text: string): void {
  const events = text
    .split('\n')
    .filter((l) => l.includes('_kernel_time'))
    .map((l) => JSON.parse(l.replace(/,\s*$/, '')) as { dur: number; ts: number; args: { op_name: string } });
  const perRun = events.length / (RUNS + 1);
  const kept = events.slice(perRun);
  const byOp = new Map<string, number>();
  for (const e of kept) byOp.set(e.args.op_name, (byOp.get(e.args.op_name) ?? 0) + e.dur);
  const total = [...byOp.values()].reduce((a, b) => a + b, 0);
  console.log(
    `Galileo-nano ${values.model}, T = ${steps}, batch ${batch}: ${(total / RUNS / 1000).toFixed(0)} ms a run`,
  );
  for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).filter(([, us]) => us / total > 0.002))
    console.log(`  ${op.padEnd(22)} ${((100 * us) / total).toFixed(1).padStart(5)} %`);
}

if (values.child) await profile();
else {
  const args = [
    '--import',
    'tsx',
    import.meta.filename,
    '--child',
    '--steps',
    `${steps}`,
    '--batch',
    `${batch}`,
  ];
  summarise(
    execFileSync(process.execPath, [...args, '--model', values.model], { maxBuffer: 1 << 28 }).toString(),
  );
}
