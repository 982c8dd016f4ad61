/**
 * `npm run cli -- <command> [options]`: the app's pipeline without a browser (same code,
 * onnxruntime-node). Each command lives in scripts/cli/<command>.ts and exports a CliCommand.
 * JSON progress goes to stderr, a JSON summary to stdout; bad input exits non-zero with a message.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CliCommand, fail } from './cli/io.ts';

const COMMANDS_DIR = join(import.meta.dirname, 'cli');
const KNOWN = ['embed', 'similar', 'cluster', 'classify'];

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const available = KNOWN.filter((c) => existsSync(join(COMMANDS_DIR, `${c}.ts`)));
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(
      `usage: npm run cli -- <${available.join('|')}> [options]   (--help after a command for its options)\n`,
    );
    return name ? 0 : 2;
  }
  if (!available.includes(name)) return fail(`unknown command "${name}"; commands: ${available.join(', ')}`);
  const module = (await import(pathToFileURL(join(COMMANDS_DIR, `${name}.ts`)).href)) as {
    command: CliCommand;
  };
  if (args.includes('--help')) {
    process.stdout.write(`${module.command.usage}\n`);
    return 0;
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
