/**
 * Where Galileo-nano's time goes in onnxruntime-web's WASM build (the app's CPU path), per
 * operator type: `npx tsx scripts/galileo-profile.ts [--steps 1] [--batch 1024] [--family
 * galileo|presto] [--model public/models/galileo-nano/galileo-nano.fp32.onnx]` (Presto's own
 * fp32 graph by default with `--family presto`). Runs in Node (the same .wasm as
 * Chromium, 1 thread), with ORT's own profiler: the WASM build prints its profile as JSON
 * lines on stdout, so the profiling run is a child process whose output this one reads.
 * `KEEP_PROFILE=1` keeps the profile's JSON lines and prints their path (per-node times).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { randomSeriesBatches } from '../bench/galileo-loop.ts';
import { galileoInputsFromPresto, PRESTO_CHANNEL_COUNT } from '../src/lib/encoder/index.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1' },
    batch: { type: 'string', default: '1024' },
    family: { type: 'string', default: 'galileo' },
    model: { type: 'string', default: '' },
    child: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
const RUNS = 5;
/**
 * Runs left out first. The WASM heap settles only after a few runs: until then, runs page-fault
 * (7,000-18,000 minor faults a run at T = 1, batch 1,024, none after ~4 runs), and that cost lands
 * on whichever kernel first writes a fresh buffer (a GELU at 3.3x its cost).
 */
const WARM = 6;
if (!['galileo', 'presto'].includes(values.family))
  throw new Error(`--family must be galileo or presto (got ${values.family}).`);
const presto = values.family === 'presto';
const modelPath =
  values.model ||
  (presto ? 'public/models/presto/presto.fp32.onnx' : 'public/models/galileo-nano/galileo-nano.fp32.onnx');

/** The child: WARM + RUNS profiled runs; ORT prints the profile on stdout. */
async function profile(): Promise<void> {
  ort.env.wasm.numThreads = 1;
  const inputs = randomSeriesBatches({ pixels: batch, batch, steps, runs: 1, seed: 17, warmupMs: 0 });
  const p = inputs[0]!;
  const b = galileoInputsFromPresto(p);
  const feeds = (): Record<string, ort.Tensor> =>
    presto
      ? {
          x: new ort.Tensor('float32', p.x, [p.count, steps, PRESTO_CHANNEL_COUNT]),
          mask: new ort.Tensor('float32', p.mask, [p.count, steps, PRESTO_CHANNEL_COUNT]),
          dynamic_world: new ort.Tensor('int64', p.dynamicWorld, [p.count, steps]),
          latlons: new ort.Tensor('float32', p.latlons, [p.count, 2]),
          month: new ort.Tensor('int64', p.month, [p.count, steps]),
        }
      : {
          x: new ort.Tensor('float32', b.x, [b.count, steps, 13]),
          mask: new ort.Tensor('float32', b.mask, [b.count, steps, 13]),
          month: new ort.Tensor('int64', b.month, [b.count, steps]),
        };
  const model = readFileSync(modelPath);
  const session = await ort.InferenceSession.create(model, {
    graphOptimizationLevel: 'all',
    enableProfiling: true,
  });
  for (let i = 0; i < WARM + RUNS; i++) await session.run(feeds());
  session.endProfiling();
}

/**
 * Kernel time per operator type from the profile's JSON lines (the WARM runs left out): each
 * node's fastest run. Even warm, a node is at times 3x its cost in some runs, the same runs in
 * every process (where its output lands in the heap, not its work), and that belongs to no operator.
 */
function summarise(text: string): void {
  const events = text
    .split('\n')
    .filter((l) => l.includes('_kernel_time'))
    .map(
      (l) => JSON.parse(l.replace(/,\s*$/, '')) as { name: string; dur: number; args: { op_name: string } },
    );
  const perRun = events.length / (WARM + RUNS);
  const byNode = new Map<string, { op: string; durs: number[] }>();
  for (const e of events.slice(perRun * WARM)) {
    const node = byNode.get(e.name) ?? { op: e.args.op_name, durs: [] };
    node.durs.push(e.dur);
    byNode.set(e.name, node);
  }
  const byOp = new Map<string, number>();
  for (const { op, durs } of byNode.values()) {
    byOp.set(op, (byOp.get(op) ?? 0) + Math.min(...durs));
  }
  const total = [...byOp.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${modelPath}, T = ${steps}, batch ${batch}: ${(total / 1000).toFixed(0)} ms a run (each node's fastest of ${RUNS})`,
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
  // Into a file, not a pipe: the WASM build writes the profile synchronously, and a full pipe
  // fails those writes (EAGAIN) at T = 12.
  const out = join(mkdtempSync(join(tmpdir(), 'galileo-profile-')), 'profile.jsonl');
  const fd = openSync(out, 'w');
  try {
    execFileSync(process.execPath, [...args, '--family', values.family, '--model', modelPath], {
      stdio: ['ignore', fd, 'inherit'],
    });
  } finally {
    closeSync(fd);
  }
  summarise(readFileSync(out, 'utf8'));
  if (process.env.KEEP_PROFILE) console.log(out);
  else rmSync(dirname(out), { recursive: true });
}
