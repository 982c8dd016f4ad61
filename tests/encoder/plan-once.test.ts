import { describe, expect, it } from 'vitest';
import { postedOption, SPECTRAL_OPTION } from '../../src/lib/encoder/model-options.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { forgetPlan, planOnce, takePlan } from '../../workers/encode-run.ts';
import type { EncodeRunRequest } from '../../workers/encoder-api.ts';

const W = 40;
const H = 30;
const BANDS = ['blue', 'green', 'red', 'nir'] as const;

function scene(): Scene {
  const n = W * H;
  return {
    id: 'S2B_PLAN',
    title: 'plan test',
    source: 'pack',
    datetime: '2024-06-01T10:00:00Z',
    grid: {
      width: W,
      height: H,
      epsg: 32632,
      transform: { originX: 600_000, originY: 5_200_000, resX: 10, resY: 10 },
    },
    bands: [...BANDS],
    reflectance: BANDS.map((_, b) =>
      Float32Array.from({ length: n }, (_, i) => 0.02 * (b + 1) + 0.001 * (i % 17)),
    ),
    valid: new Uint8Array(n).fill(1),
    validFraction: 1,
    maskDescription: 'nodata only',
    itemIds: ['S2B_PLAN'],
  };
}

const request = (handle: string, factor = 1): EncodeRunRequest => ({
  option: postedOption(SPECTRAL_OPTION),
  scene: { kind: 'handle', handle },
  factor,
  preference: 'auto',
  previewSide: 0,
});

describe('planOnce: a cache lookup and the run after its miss plan (and texture) the scene once', () => {
  it('gives the lookup’s plan, texture columns included, to the run of the same request', () => {
    forgetPlan();
    const s = scene();
    const forLookup = planOnce(request('scene-1'), s);
    expect(forLookup.unit).toBe('pixels');
    if (forLookup.unit !== 'pixels') return;
    expect(forLookup.extraColumns?.length).toBe(2);
    // The run asks with the scene fetched again (another object over the same pixels).
    const forRun = planOnce({ ...request('scene-1'), previewSide: 512 }, scene());
    expect(forRun).toBe(forLookup);
  });

  it('plans again for another scene, another factor, or after forgetPlan()', () => {
    forgetPlan();
    const first = planOnce(request('scene-1'), scene());
    expect(planOnce(request('scene-2'), scene())).not.toBe(first);
    const second = planOnce(request('scene-2'), scene());
    expect(planOnce(request('scene-2', 2), scene())).not.toBe(second);
    const third = planOnce(request('scene-2', 2), scene());
    forgetPlan();
    expect(planOnce(request('scene-2', 2), scene())).not.toBe(third);
  });

  it('does not remember scenes posted as pixels (no handle names them), nor forget for them', () => {
    forgetPlan();
    const kept = planOnce(request('scene-1'), scene());
    const s = scene();
    const posted: EncodeRunRequest = { ...request('x'), scene: { kind: 'pixels', scene: s } };
    expect(planOnce(posted, s)).not.toBe(planOnce(posted, s));
    // The speed calibration probes (pixels posted, each a run) between a lookup and its run.
    expect(takePlan(posted, s)).not.toBe(kept);
    expect(takePlan(request('scene-1'), scene())).toBe(kept);
    // The run was the plan's last use.
    expect(planOnce(request('scene-1'), scene())).not.toBe(kept);
  });
});
