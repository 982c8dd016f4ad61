import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fromArrayBuffer } from 'geotiff';

export const ROOT = resolve(import.meta.dirname, '../..');

/** The CLI as its own process (`node --import tsx scripts/cli.ts ...`), as a batch engine starts it. */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function exited(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
}

/** A GeoTIFF's bands as float32 bit patterns (Uint32), with its origin, resolution and size. */
export async function tiffBits(path: string): Promise<{
  bands: Uint32Array[];
  width: number;
  height: number;
  origin: [number, number];
  res: number;
}> {
  const image = await (await fromArrayBuffer((await readFile(path)).buffer as ArrayBuffer)).getImage();
  const rasters = (await image.readRasters({ interleave: false })) as unknown as Float32Array[];
  const [x, y] = image.getOrigin();
  return {
    bands: rasters.map((r) => new Uint32Array(Float32Array.from(r).buffer)),
    width: image.getWidth(),
    height: image.getHeight(),
    origin: [x!, y!],
    res: image.getResolution()[0]!,
  };
}
