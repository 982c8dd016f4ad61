import { searchItems } from '../../src/lib/stac/index.ts';
import { emptyReport, rng, runCase, type TargetReport, tally } from './outcome.ts';
import { mutateJson, sampleItem } from './stac-sample.ts';

/** A two-item Earth Search page whose `next` link points back at the local server. */
function samplePage(): unknown {
  const item = sampleItem('B04.tif');
  return {
    type: 'FeatureCollection',
    features: [item, { ...item, id: 'S2B_32TQS_20220615_0_L2A' }],
    links: [{ rel: 'next', href: 'search?page=2', method: 'POST', body: { token: 't' } }],
  };
}

/** A mutated body: the JSON tree changed, or its text cut, or a few characters overwritten. */
function mutateBody(random: () => number): string {
  const r = random();
  if (r < 0.6) {
    let json = samplePage();
    for (let k = 0; k < 1 + Math.floor(random() * 3); k++) json = mutateJson(json, random);
    return JSON.stringify(json);
  }
  const text = JSON.stringify(samplePage());
  if (r < 0.75) return text.slice(0, Math.floor(random() * text.length));
  const chars = text.split('');
  for (let k = 0; k < 1 + Math.floor(random() * 4); k++)
    chars[Math.floor(random() * chars.length)] = String.fromCharCode(32 + Math.floor(random() * 95));
  return chars.join('');
}

/** The body the server sends next; page 2 (the `next` link) is an empty collection. */
export interface StacBodies {
  current: string;
}

export function stacRoute(bodies: StacBodies) {
  return (url: string): { type: string; body: string } | undefined => {
    if (!url.startsWith('/stac/')) return undefined;
    if (url.includes('page=2'))
      return { type: 'application/geo+json', body: '{"type":"FeatureCollection","features":[]}' };
    return { type: 'application/geo+json', body: bodies.current };
  };
}

/** `cases` mutated search answers, each fetched and parsed by searchItems from a real server. */
export async function fuzzStac(
  seed: number,
  cases: number,
  serverUrl: string,
  bodies: StacBodies,
  limitMs: number,
): Promise<TargetReport> {
  const random = rng(seed);
  const report = emptyReport('stac:search');
  for (let n = 0; n < cases; n++) {
    bodies.current = mutateBody(random);
    const outcome = await runCase(
      () =>
        searchItems({
          endpoint: `${serverUrl}/stac/`,
          collection: 'sentinel-2-c1-l2a',
          bbox: [12, 46.6, 12.05, 46.65],
          datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
          timeoutMs: 5000,
          retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        }),
      limitMs,
    );
    tally(report, n, outcome);
  }
  return report;
}
