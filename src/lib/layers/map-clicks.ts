/** How far (CSS px) a pointer may move between press and release and still click: hammer.js's tap. */
const CLICK_SLOP_PX = 9;

export interface ClickListener {
  /** The map's canvas once deck.gl has made it (asynchronously); presses elsewhere are no clicks. */
  canvas(): HTMLCanvasElement | null;
  /** True while presses are not clicks (a drawing tool is on, or the press began with one). */
  ignore(): boolean;
  onClick(event: PointerEvent): void;
}

/**
 * Clicks on the map's canvas, listened for on its container: a press and release of one pointer
 * that moved less than CLICK_SLOP_PX, however long it was held. deck.gl's own click (a hammer.js
 * tap) also wants the release within 250 ms, timed when each event is handled (Date.now()), so a
 * frame drawn between the two (hundreds of ms on a software GPU or a slow phone) turned a quick
 * tap into nothing. Returns the function that removes the listeners.
 */
export function listenForClicks(container: HTMLElement, listener: ClickListener): () => void {
  let press: { pointerId: number; x: number; y: number; spoilt: boolean } | undefined;
  const onDown = (event: PointerEvent) => {
    if (event.target !== listener.canvas()) return;
    // A second finger (a pinch) spoils the press under way: releasing it is no click. The same
    // pointer again (a mouse released outside the map) starts afresh.
    if (press && event.pointerId !== press.pointerId) press.spoilt = true;
    else
      press =
        event.isPrimary && event.button === 0
          ? { pointerId: event.pointerId, x: event.clientX, y: event.clientY, spoilt: false }
          : undefined;
  };
  const onUp = (event: PointerEvent) => {
    if (event.pointerId !== press?.pointerId) return;
    const { x, y, spoilt } = press;
    press = undefined;
    if (spoilt || listener.ignore()) return;
    if (Math.hypot(event.clientX - x, event.clientY - y) < CLICK_SLOP_PX) listener.onClick(event);
  };
  const onCancel = (event: PointerEvent) => {
    if (event.pointerId === press?.pointerId) press = undefined;
  };
  container.addEventListener('pointerdown', onDown);
  container.addEventListener('pointerup', onUp);
  container.addEventListener('pointercancel', onCancel);
  return () => {
    container.removeEventListener('pointerdown', onDown);
    container.removeEventListener('pointerup', onUp);
    container.removeEventListener('pointercancel', onCancel);
  };
}
