/** What asks the browser for frames: the display's own (requestAnimationFrame) by default. */
export interface FrameSource {
  request(callback: (time: number) => void): number;
  cancel(id: number): void;
}

const displayFrames = (): FrameSource => ({
  request: (callback) => requestAnimationFrame(callback),
  cancel: (id) => cancelAnimationFrame(id),
});

export interface IdleFramesOptions {
  /** After a drawn frame or the user's input, how long frames come at the display's rate (ms). */
  settleMs: number;
  /** While idle, the wait before the render loop's next look at what to draw (ms). */
  idleMs: number;
  frames?: FrameSource;
  now?: () => number;
}

/**
 * Frames for deck.gl's render loop (luma.gl's AnimationLoop `animationFrameProvider`) that stop
 * coming at the display's rate while the map is idle. The loop asks for a frame after every
 * frame, drawn or not, and each costs a layer walk, a viewport check and a submit: 8% of a core
 * in Chromium's renderer and 2% in its GPU process with a still map (measured with SwiftShader;
 * deck.gl issue 6961 reports 2-3% on GPUs), a laptop's or phone's battery for nothing. So once
 * nothing was drawn and nobody touched the map for `settleMs`, the loop looks every `idleMs`
 * (what loads meanwhile, a tile or a texture, shows within that wait) until a drawn frame or
 * `wake()` (input, new layers) brings the display's rate back at once.
 */
export class IdleFrames {
  private readonly frames: FrameSource;
  private readonly now: () => number;
  private lastActive: number;
  private nextId = 1;
  /** The one outstanding request (the loop keeps at most one): its id and how it waits. */
  private pending:
    | {
        id: number;
        callback: (time: number) => void;
        wait: { frame: number } | { timer: ReturnType<typeof setTimeout> };
      }
    | undefined;

  constructor(private readonly options: IdleFramesOptions) {
    this.frames = options.frames ?? displayFrames();
    this.now = options.now ?? (() => performance.now());
    this.lastActive = this.now();
  }

  /** Whether frames now come at the display's rate. */
  get settling(): boolean {
    return this.now() - this.lastActive < this.options.settleMs;
  }

  requestAnimationFrame(callback: (time: number) => void): number {
    this.cancelAnimationFrame(this.pending?.id ?? 0);
    const id = this.nextId++;
    this.pending = { id, callback, wait: this.settling ? this.displayFrame(id) : this.idleWait(id) };
    return id;
  }

  cancelAnimationFrame(id: number): void {
    const p = this.pending;
    if (!p || p.id !== id) return;
    if ('frame' in p.wait) this.frames.cancel(p.wait.frame);
    else clearTimeout(p.wait.timer);
    this.pending = undefined;
  }

  /** Something will change or just changed on screen: frames at the display's rate from now on. */
  wake(): void {
    this.lastActive = this.now();
    const p = this.pending;
    if (!p || 'frame' in p.wait) return;
    clearTimeout(p.wait.timer);
    p.wait = this.displayFrame(p.id);
  }

  /** Stops waiting; the loop is being finalised. */
  dispose(): void {
    this.cancelAnimationFrame(this.pending?.id ?? 0);
  }

  private displayFrame(id: number): { frame: number } {
    return {
      frame: this.frames.request((time) => {
        const p = this.pending;
        if (p?.id !== id) return;
        this.pending = undefined;
        p.callback(time);
      }),
    };
  }

  /** Waits `idleMs`, then asks the display (the callback still runs in a frame). */
  private idleWait(id: number): { timer: ReturnType<typeof setTimeout> } {
    return {
      timer: setTimeout(() => {
        const p = this.pending;
        if (p?.id === id) p.wait = this.displayFrame(id);
      }, this.options.idleMs),
    };
  }
}
