/**
 * What the user-flow benchmark installs in the app's page before it loads (addInitScript):
 * main-thread long tasks (PerformanceObserver 'longtask', every task over 50 ms), the time of
 * each map frame (the map's `eee-map-drawn` event; while `sync` is on, each frame that shows
 * new map content is first read back, one pixel, so its time is when the frame is finished,
 * not merely issued; other frames, such as basemap redraws, are not waited for), and
 * the time of each click with its target's data-testid. `sync` starts off: reading back
 * the first frames (shader compiles on a software GPU) would block the main thread and delay
 * the app's own start-up, so the imagery's frame is timed when issued. Plain JavaScript as a string: the
 * page runs it before any of the app's modules, and a serialised function would carry the
 * Node build's helpers.
 */
export const FLOW_PROBE_SCRIPT = `(() => {
  const probe = { longTasks: [], draws: [], clicks: [], sync: false, lastContent: undefined };
  window.__eeeProbe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('eee-map-drawn', (event) => {
    // A frame that ends an eee:draw stage is the first to show new map content.
    const content = performance.getEntriesByName('eee:draw', 'measure').at(-1);
    const fresh = content !== undefined && content !== probe.lastContent;
    probe.lastContent = content;
    if (probe.sync && fresh) {
      const canvas = event.target.querySelector('canvas');
      const gl = canvas && canvas.getContext('webgl2');
      if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    }
    probe.draws.push(performance.now());
    if (probe.draws.length > 2000) probe.draws.splice(0, 1000);
  }, true);
  document.addEventListener('click', (event) => {
    const el = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
    probe.clicks.push([el ? el.getAttribute('data-testid') : '', event.timeStamp]);
  }, true);
})();`;

/** The probe's records as the page holds them (times in ms since the page's time origin). */
export interface FlowProbe {
  longTasks: [start: number, duration: number][];
  draws: number[];
  clicks: [testId: string, time: number][];
  sync: boolean;
}

/** One `eee:<stage>` measure (src/lib/perf/stages.ts) as the bench reads it. */
export interface StageTiming {
  start: number;
  duration: number;
}
