/**
 * `npm run serve:stac -- [packs/] [--host 0.0.0.0] [--port 8090] [--collection ID] [--public-url URL]`: a small
 * STAC API plus range-capable file serving over a folder of packs, for offline classrooms
 * (a teacher's laptop serves packs to students: --host 0.0.0.0) and as the stand-in for
 * Earth Search in tests. Point the app's STAC endpoint (or pack:fetch --stac) at the URL printed.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllowedOrigin } from '../server/security-headers.ts';
import { startStacServer } from '../server/stac-api.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8090' },
      collection: { type: 'string' },
      'public-url': { type: 'string' },
    },
    allowPositionals: true,
  });
  const packsDir = resolve(positionals[0] ?? 'packs');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port} is not a port number`);
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined && parseAllowedOrigin(publicUrl) === undefined)
    throw new Error(`--public-url ${publicUrl} is not an address like http://192.168.1.10:8090`);
  const { url } = await startStacServer({
    packsDir,
    host: values.host,
    port,
    ...(values.collection ? { collection: values.collection } : {}),
    ...(publicUrl ? { publicUrl } : {}),
  });
  console.log(`STAC API over ${packsDir} at ${url}/ (search: ${url}/search, files: ${url}/packs/)`);
  if (values.host === '0.0.0.0')
    console.log(
      "Listening on every network interface: use this machine's LAN address. Links in answers name the address a student used when it is one of this machine's, else --public-url.",
    );
}

main().catch((error: unknown) => {
  console.error(`serve:stac: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
