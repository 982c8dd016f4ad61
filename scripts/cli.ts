/**
 * `npm run cli -- <command> [options]`: the app's pipeline without a browser (same code,
 * onnxruntime-node). Each command lives in scripts/cli/<command>.ts and exports a CliCommand;
 * adding one is one entry in KNOWN. Options are validated before any work (cli/validate.ts).
 * JSON progress goes to stderr, a JSON summary to stdout; failures exit with the codes of
 * cli/exit-codes.ts (usage 2, input 3, runtime 1).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT, EXIT_CODES_HELP, UsageError } from './cli/exit-codes.ts';
import { type CliCommand, fail } from './cli/io.ts';

const COMMANDS_DIR = join(import.meta.dirname, 'cli');
const KNOWN = ['embed', 'similar', 'cluster', 'classify'];
KNOWN.push('plan'); // scale-out: plan a region-size job (scripts/cli/plan.ts)
KNOWN.push('run'); // scale-out: encode one shard (scripts/cli/run.ts -> run-plan.ts)
KNOWN.push('collect'); // scale-out: check tiles, write the collection (scripts/cli/collect.ts)
KNOWN.push('fetch-embeddings'); // precomputed embeddings to a GeoTIFF (scripts/cli/fetch-embeddings.ts)

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const available = KNOWN.filter((c) => existsSync(join(COMMANDS_DIR, `${c}.ts`)));
  const help = `usage: npm run cli -- <${available.join('|')}> [options]   (--help after a command for its options)\n\n${EXIT_CODES_HELP}\n`;
  if (name === '--help' || name === '-h') {
    process.stdout.write(help);
    return EXIT.ok;
  }
  if (!name) {
    process.stderr.write(help);
    return EXIT.usage;
  }
  if (!available.includes(name))
    throw new UsageError(`Unknown command "${name}"; commands: ${available.join(', ')}.`);
  const module = (await import(pathToFileURL(join(COMMANDS_DIR, `${name}.ts`)).href)) as {
    command: CliCommand;
  };
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${module.command.usage}\n\n${EXIT_CODES_HELP}\n`);
    return EXIT.ok;
  }
  return module.command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = fail(error);
  },
);
