import { ANALYSIS_GROUPS } from './analysis-groups.ts';
import { CLASSIFY_GROUPS } from './classify-groups.ts';
import { DATA_GROUPS } from './data-groups.ts';
import { GALILEO_GROUPS } from './galileo-groups.ts';
import type { Group, Results, Sizes } from './group.ts';
import { MAP_GROUPS } from './map-groups.ts';
import { MOSAIKS_GROUPS } from './mosaiks-groups.ts';
import { PRECOMPUTED_AEF_GROUPS } from './precomputed-aef.ts';
import { PRECOMPUTED_AGREEMENT_GROUPS } from './precomputed-agreement.ts';
import { TESSERA_GROUPS } from './precomputed-tessera.ts';
import { PRESTO_GROUPS } from './presto-groups.ts';
import { PREVIEW_GROUPS } from './preview.ts';
import { log, machineInfo, toJson } from './report.ts';
import { SCALEOUT_GROUPS } from './scaleout.ts';
import { NODE_ENCODE, spectralEncodeNode } from './spectral-node.ts';
import { spectralEncodeWeb } from './spectral-web.ts';
import { USER_FLOW_GROUPS } from './user-flow-groups.ts';

function sizes(quick: boolean): Sizes {
  // 1000 x 1000 = 1,000,000 pixels in full runs; 300 x 300 = 90,000 in quick ones.
  const side = quick ? 300 : 1000;
  return {
    quick,
    encode: { pixels: quick ? 100_000 : 1_000_000, batch: 32_768, runs: quick ? 2 : 10, seed: 7 },
    similaritySide: side,
    similarityRuns: quick ? { x7: 3, x128: 3 } : { x7: 9, x128: 5 },
    kmeansSide: side,
    kmeansRuns: quick ? 1 : 3,
  };
}

const WEB_THREADS = new Map([
  ['spectral_encode_web_wasm', 2],
  ['spectral_encode_web_wasm_1t', 1],
]);

const GROUPS: Group[] = [
  {
    names: [NODE_ENCODE],
    run: async (_, s) => new Map([[NODE_ENCODE, await spectralEncodeNode(s.encode)]]),
  },
  {
    names: [...WEB_THREADS.keys()],
    run: (selected, s) =>
      spectralEncodeWeb(new Map(selected.map((name) => [name, WEB_THREADS.get(name) ?? 1])), s.encode),
  },
  ...ANALYSIS_GROUPS,
  ...DATA_GROUPS,
  ...PRESTO_GROUPS,
  ...GALILEO_GROUPS,
  ...MOSAIKS_GROUPS,
  ...PREVIEW_GROUPS,
  ...MAP_GROUPS,
  ...USER_FLOW_GROUPS,
  ...CLASSIFY_GROUPS,
  ...SCALEOUT_GROUPS,
  ...TESSERA_GROUPS,
  ...PRECOMPUTED_AEF_GROUPS,
  ...PRECOMPUTED_AGREEMENT_GROUPS,
];

function parseArgs(argv: readonly string[]): { only: string[] | undefined; quick: boolean } {
  let only: string[] | undefined;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length).split(',').filter(Boolean);
    else throw new Error(`Unknown argument ${arg}. Usage: npm run bench -- [--quick] [--only name1,name2]`);
  }
  const known = GROUPS.flatMap((g) => g.names);
  const unknown = only?.filter((name) => !known.includes(name)) ?? [];
  if (unknown.length > 0)
    throw new Error(`Unknown benchmark(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return { only, quick };
}

async function main(): Promise<void> {
  const { only, quick } = parseArgs(process.argv.slice(2));
  const s = sizes(quick);
  const results: Results = new Map();
  for (const group of GROUPS) {
    const selected = group.names.filter((name) => !only || only.includes(name));
    if (selected.length === 0) continue;
    log(`running ${selected.join(', ')}${quick ? ' (quick)' : ''}`);
    const start = performance.now();
    try {
      for (const [name, entry] of await group.run(selected, s)) results.set(name, entry);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  failed: ${message}`);
      for (const name of selected) results.set(name, { error: message });
    }
    log(`  done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  const report = {
    machine: machineInfo(),
    quick,
    benchmarks: Object.fromEntries([...results].map(([name, entry]) => [name, toJson(entry)])),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  // A failed benchmark still prints the others, but the run must not look green.
  if ([...results.values()].some((entry) => 'error' in entry)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
