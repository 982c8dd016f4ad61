import { describe, expect, it } from 'vitest';
import { boundedListing, lloydListing } from '../../src/lib/analysis/wasm/listings.ts';
import { op } from '../../src/lib/analysis/wasm/ops.ts';
import { toWat } from '../../src/lib/analysis/wasm/to-wat.ts';
import { buildModule, I32, V128 } from '../../src/lib/analysis/wasm/wasm-bytes.ts';

/**
 * The k-means kernels are emitted from TypeScript (byte arrays); reviewers read their golden
 * WebAssembly text listings instead (src/lib/analysis/wasm/*.wat). These tests keep the listings
 * and the emitters in step: a change to an emitter fails here until the listing is regenerated
 * (`-u`) and the diff of the .wat shows what the kernel now does.
 */
describe('k-means kernels as WebAssembly text', () => {
  it('the Lloyd kernel is the golden listing kmeans-kernel.wat', async () => {
    await expect(lloydListing()).toMatchFileSnapshot('../../src/lib/analysis/wasm/kmeans-kernel.wat');
  });

  it('the bounded kernel for k = 5, dim = 8 is the golden listing kmeans-bounded-kernel.k5-dim8.wat', async () => {
    await expect(boundedListing(5, 8)).toMatchFileSnapshot(
      '../../src/lib/analysis/wasm/kmeans-bounded-kernel.k5-dim8.wat',
    );
  });

  it('reads bounded kernels of other shapes (k from 2 to 20: one to five centroid groups) to their end', () => {
    for (const [k, dim] of [
      [2, 4],
      [4, 64],
      [9, 16],
      [20, 128],
    ] as const)
      expect(boundedListing(k, dim)).toMatch(/\n {2}\(func \$ownScores/);
  });

  it('writes immediates as the text format does', () => {
    const bytes = buildModule(
      [
        {
          exportName: 'probe',
          params: [I32],
          results: [I32],
          locals: [V128],
          body: [
            ...op.get(0),
            ...op.v128LoadAt(32),
            ...op.set(1),
            ...op.get(1),
            ...op.f32x4Extract(3),
            ...op.f32(2.5),
            ...op.f32Max,
            ...op.f32(Number.POSITIVE_INFINITY),
            ...op.f32Lt,
            ...op.i32(-5),
            ...op.i32Add,
          ],
        },
      ],
      { initialPages: 1, maximumPages: 2, shared: true },
    );
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(toWat(bytes, { probe: ['ptr', 'v'] })).toBe(
      [
        '(module',
        '  (import "env" "memory" (memory 1 2 shared))',
        '  (func $probe (export "probe")',
        '    (param $ptr i32)',
        '    (result i32)',
        '    (local $v v128)',
        '    local.get $ptr',
        '    v128.load offset=32',
        '    local.set $v',
        '    local.get $v',
        '    f32x4.extract_lane 3',
        '    f32.const 2.5',
        '    f32.max',
        '    f32.const inf',
        '    f32.lt',
        '    i32.const -5',
        '    i32.add',
        '  )',
        ')',
        '',
      ].join('\n'),
    );
  });
});
