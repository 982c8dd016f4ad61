import { describe, expect, it } from 'vitest';
import { type FrameSource, IdleFrames } from '../../src/lib/layers/index.ts';

/** A display whose frames come every 5 ms (Node has no requestAnimationFrame), counting its requests. */
function display(): FrameSource & { requests: number } {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  const d = {
    requests: 0,
    request(callback: (time: number) => void): number {
      d.requests++;
      const id = next++;
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          callback(performance.now());
        }, 5),
      );
      return id;
    },
    cancel(id: number): void {
      clearTimeout(timers.get(id));
      timers.delete(id);
    },
  };
  return d;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Runs a render loop as luma.gl's does (a new request after every frame) for `ms`; frames run. */
async function loop(frames: IdleFrames, ms: number): Promise<number> {
  let ran = 0;
  let running = true;
  const frame = () => {
    ran++;
    if (running) frames.requestAnimationFrame(frame);
  };
  frames.requestAnimationFrame(frame);
  await sleep(ms);
  running = false;
  frames.dispose();
  return ran;
}

describe('IdleFrames, the map render loop’s frame source', () => {
  it('gives frames at the display rate while settling, then one per idle wait', async () => {
    const d = display();
    const settling = new IdleFrames({ settleMs: 10_000, idleMs: 100, frames: d });
    // 60 at 5 ms a frame; a loaded machine's timers come later, so the bounds are loose.
    expect(await loop(settling, 300)).toBeGreaterThan(10);

    const idle = new IdleFrames({ settleMs: 0, idleMs: 100, frames: d });
    const ran = await loop(idle, 350);
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThanOrEqual(4);
  });

  it('wake() turns a waiting request into the next display frame, and keeps the rate for settleMs', async () => {
    const frames = new IdleFrames({ settleMs: 400, idleMs: 10_000, frames: display() });
    await sleep(410);
    let ran = 0;
    frames.requestAnimationFrame(() => ran++);
    await sleep(50);
    expect(ran).toBe(0);
    frames.wake();
    await sleep(100);
    expect(ran).toBe(1);
    expect(frames.settling).toBe(true);
    frames.requestAnimationFrame(() => ran++);
    await sleep(100);
    expect(ran).toBe(2);
    await sleep(400);
    expect(frames.settling).toBe(false);
  });

  it('a cancelled request never runs, waiting or not; a new one replaces the one outstanding', async () => {
    const d = display();
    const frames = new IdleFrames({ settleMs: 10_000, idleMs: 20, frames: d });
    let ran = 0;
    frames.cancelAnimationFrame(frames.requestAnimationFrame(() => ran++));
    const kept = frames.requestAnimationFrame(() => (ran += 10));
    frames.requestAnimationFrame(() => (ran += 100));
    await sleep(100);
    expect(ran).toBe(100);
    frames.cancelAnimationFrame(kept);

    const idle = new IdleFrames({ settleMs: 0, idleMs: 20, frames: d });
    idle.cancelAnimationFrame(idle.requestAnimationFrame(() => ran++));
    await sleep(100);
    expect(ran).toBe(100);
  });
});
