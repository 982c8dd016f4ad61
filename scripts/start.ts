/**
 * `npm start`: builds the app when its sources changed, builds the demo packs when there are
 * none and ../shared has the data, then serves everything on http://localhost.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllowedOrigin } from '../server/security-headers.ts';
import { startAppServer } from './app-server.ts';

const root = resolve(import.meta.dirname, '..');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function run(script: string[]): void {
  execFileSync(process.execPath, script, { cwd: root, stdio: 'inherit' });
}

// Presto's ONNX files are build products (public/models/), made by the project's converter.
if (
  !existsSync(join(root, 'public/models/presto/manifest.json')) ||
  !existsSync(join(root, 'public/models/galileo-nano/manifest.json'))
) {
  console.log('Converting the Presto checkpoint to ONNX (npm run models) ...');
  try {
    run(['--import', 'tsx', join(root, 'scripts/build-models.ts')]);
  } catch {
    console.log('Presto could not be built (see above): the app starts with the spectral encoder only.');
  }
}

const sources = [
  'src',
  'workers',
  'models',
  'public',
  'index.html',
  'vite.config.ts',
  'package-lock.json',
].map((p) => newestMtime(join(root, p)));
const built = newestMtime(join(root, 'dist', 'index.html'));
if (built < Math.max(...sources)) {
  console.log('Building the app (vite build) ...');
  run([join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
}

const packsDir = join(root, 'packs');
const hasPacks =
  existsSync(packsDir) &&
  readdirSync(packsDir).some((name) => existsSync(join(packsDir, name, 'catalog.json')));
if (!hasPacks) {
  if (existsSync(join(root, '..', 'shared', 'data', 's2'))) {
    console.log('No packs yet: building the demo packs from ../shared/data (npm run pack:demo) ...');
    run(['--import', 'tsx', join(root, 'scripts/pack-demo.ts')]);
  } else {
    console.log(
      'No packs in packs/ and no ../shared/data to build the demo packs from: the app starts with live Earth Search and local files only.',
    );
  }
}

const host = process.env.HOST ?? '127.0.0.1';
/**
 * ALLOW_ORIGINS=http://192.168.1.10:8090,https://models.example: servers the app may read from
 * besides its own and Earth Search (a classroom STAC server, a model server); the app's
 * Content-Security-Policy refuses every other origin.
 */
const allowed = (process.env.ALLOW_ORIGINS ?? '').split(',').filter((s) => s.trim() !== '');
const connectOrigins = allowed.map((text) => {
  const origin = parseAllowedOrigin(text);
  if (!origin) {
    console.error(`ALLOW_ORIGINS: '${text}' is not an origin like http://192.168.1.10:8090`);
    process.exit(1);
  }
  return origin;
});
/** The first free port from PORT (default 8080) on, so a busy port is not a dead end. */
async function listen(first: number): Promise<string> {
  for (let port = first; port < first + 20; port++) {
    try {
      return (await startAppServer({ distDir: join(root, 'dist'), packsDir, port, host, connectOrigins }))
        .url;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      console.log(`Port ${port} is in use; trying ${port + 1}.`);
    }
  }
  throw new Error(`No free port from ${first} to ${first + 19}; set PORT.`);
}
const url = await listen(Number(process.env.PORT ?? 8080));
console.log(
  `Earth Embedding Explorer is running at ${url.replace('127.0.0.1', 'localhost')}/  (Ctrl+C to stop)`,
);
if (host === '0.0.0.0')
  console.log("Listening on every network interface: students open this machine's LAN address.");
if (connectOrigins.length > 0) console.log(`The app may also read from: ${connectOrigins.join(', ')}`);
