import { describe, expect, it } from 'vitest';
import {
  estimateTime,
  formatRange,
  rateUnits,
  type TextStore,
  ThroughputBook,
} from '../../src/lib/state/throughput.ts';

/** localStorage's interface over a Map: what the book reads and writes in the browser. */
function memoryStore(): TextStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('throughput measured on this device (issue 14, item 7)', () => {
  it('remembers measurements across visits and gives their range', () => {
    const store = memoryStore();
    const book = new ThroughputBook(store);
    expect(book.rate('presto')).toBeUndefined();
    book.record({ model: 'presto', backend: 'wasm' }, 1200);
    book.record({ model: 'presto', backend: 'wasm' }, 900);
    book.record({ model: 'presto', backend: 'wasm' }, Number.NaN);
    const again = new ThroughputBook(store);
    expect(again.rate('presto', 'wasm')).toEqual({ low: 900, high: 1200, samples: 2 });
    expect(again.rate('presto', 'webgpu')).toBeUndefined();
    expect(again.rate('spectral')).toBeUndefined();
  });

  it('keeps the last five measurements of a key', () => {
    const book = new ThroughputBook(memoryStore());
    for (const r of [1, 2, 3, 4, 5, 6, 7]) book.record({ model: 'm', backend: 'wasm' }, r);
    expect(book.rate('m')).toEqual({ low: 3, high: 7, samples: 5 });
  });

  it('says when WebGPU measured slower than WASM (20 px/s on a software adapter)', () => {
    const book = new ThroughputBook(memoryStore());
    book.record({ model: 'presto', backend: 'webgpu' }, 20);
    expect(book.webgpuSlowerThanWasm('presto')).toBeUndefined(); // WASM not measured yet
    book.record({ model: 'presto', backend: 'wasm' }, 1100);
    expect(book.webgpuSlowerThanWasm('presto')).toEqual({ webgpu: 20, wasm: 1100 });
    book.record({ model: 'presto', backend: 'webgpu' }, 5000);
    expect(book.webgpuSlowerThanWasm('presto')).toBeUndefined();
  });

  it('survives a broken or refused store', () => {
    const broken: TextStore = {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const book = new ThroughputBook(broken);
    book.record({ model: 'm', backend: 'wasm' }, 10);
    expect(book.rate('m')?.high).toBe(10);
  });

  it('counts work as encoded pixels, or input pixels for MOSAIKS, times the dates', () => {
    expect(rateUnits('manifest', 989_106, 2)).toBe(247_277);
    expect(rateUnits('manifest', 989_106, 2, 12)).toBe(12 * 247_277);
    expect(rateUnits('mosaiks', 989_106, 4)).toBe(989_106);
  });

  it('prints ranges as people read them', () => {
    expect(formatRange(10.2, 19.7)).toBe('~10–20 s');
    expect(formatRange(0.1, 0.4)).toBe('~1 s');
    expect(formatRange(100, 260)).toBe('~2–4 min');
    expect(formatRange(3.6, 3.6)).toBe('~4 s');
  });

  it('estimates from the measured range, else a wide guess said to be one', () => {
    const measured = estimateTime(1_000_000, { low: 250_000, high: 300_000, samples: 3 }, 1);
    expect(measured).toEqual({ text: '~3–5 s', measured: true });
    const guess = estimateTime(247_277, undefined, 1000);
    expect(guess.measured).toBe(false);
    // Presto at 20 m took ~66 s where the old estimate said "~4 min": inside the guessed range.
    const [lo, hi] = guess.text
      .replace(/[~a-z ]/g, '')
      .split('–')
      .map(Number);
    expect(lo! * 60).toBeLessThanOrEqual(66);
    expect(hi! * 60).toBeGreaterThanOrEqual(66);
  });

  it('Automatic starts on WASM for a model measured slower on WebGPU, so the cache key and a second date match the run', () => {
    const book = new ThroughputBook(memoryStore());
    expect(book.startingPreference('presto', 'auto')).toBe('auto');
    book.record({ model: 'presto', backend: 'webgpu' }, 20);
    book.record({ model: 'presto', backend: 'wasm' }, 1_400);
    expect(book.startingPreference('presto', 'auto')).toBe('wasm');
    // A user's own choice stands; another model is not affected.
    expect(book.startingPreference('presto', 'webgpu')).toBe('webgpu');
    expect(book.startingPreference('galileo-nano', 'auto')).toBe('auto');
    book.record({ model: 'presto', backend: 'webgpu' }, 90_000);
    expect(book.startingPreference('presto', 'auto')).toBe('auto');
  });
});
