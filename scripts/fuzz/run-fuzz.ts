import { startByteServer } from './byte-server.ts';
import type { TargetReport } from './outcome.ts';
import { fuzzStac, type StacBodies, stacRoute } from './stac-target.ts';
import { fuzzTiff, type TiffTarget } from './tiff-targets.ts';

export interface FuzzOptions {
  seed: number;
  /** Cases per target. */
  cases: number;
  /** A case running longer than this counts as a hang. */
  caseLimitMs: number;
  onReport?: (report: TargetReport) => void;
}

export interface FuzzSummary {
  seed: number;
  casesPerTarget: number;
  targets: TargetReport[];
  crashes: number;
  hangs: number;
  raw: number;
}

const TIFF_TARGETS: TiffTarget[] = ['cog-file', 'cog-url', 'dropped-files', 'embeddings'];

/**
 * The bounded fuzz: mutated TIFF headers read as dropped files, over HTTP ranges and as
 * embeddings, and mutated STAC search answers fetched from a real server on 127.0.0.1.
 * Every target gets its own seed (seed + index), so one target replays alone.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const bodies: StacBodies = { current: '{}' };
  const server = await startByteServer(stacRoute(bodies));
  const targets: TargetReport[] = [];
  try {
    for (const [i, target] of TIFF_TARGETS.entries()) {
      const report = await fuzzTiff(target, options.seed + i, options.cases, server, options.caseLimitMs);
      targets.push(report);
      options.onReport?.(report);
    }
    const report = await fuzzStac(
      options.seed + TIFF_TARGETS.length,
      options.cases,
      server.url,
      bodies,
      options.caseLimitMs,
    );
    targets.push(report);
    options.onReport?.(report);
  } finally {
    await server.close();
  }
  const sum = (key: 'crashes' | 'hangs' | 'raw') => targets.reduce((s, t) => s + t[key], 0);
  return {
    seed: options.seed,
    casesPerTarget: options.cases,
    targets,
    crashes: sum('crashes'),
    hangs: sum('hangs'),
    raw: sum('raw'),
  };
}
