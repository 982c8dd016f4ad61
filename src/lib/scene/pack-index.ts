import { z } from 'zod';
import { AppError } from '../errors.ts';
import { fetchJson } from '../net/index.ts';

const packIndexSchema = z.object({ packs: z.array(z.object({ name: z.string(), href: z.string() })) });

/** The packs a server offers (its /packs/index.json): name and catalog.json URL of each. */
export async function listPacks(
  indexUrl: string,
  signal?: AbortSignal,
): Promise<{ name: string; href: string }[]> {
  const json = await fetchJson(indexUrl, {}, { service: 'the pack server', signal, timeoutMs: 10_000 });
  const parsed = packIndexSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError(
      'bad-input',
      `${indexUrl} is not a pack index: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data.packs.map((p) => ({ name: p.name, href: new URL(p.href, indexUrl).href }));
}
