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
 * Clicks on the map's canvas: a press on it and the release of the same pointer, which never
 * moved CLICK_SLOP_PX away, however long it was held. deck.gl's own click (a hammer.js tap)
 * also wants the release within 250 ms, timed when each event is handled (Date.now()), so a
 * frame drawn between the two (hundreds of ms on a software GPU or a slow phone) turned a quick
 * tap into nothing. Presses are listened for on the container; moves and releases on the
 * window, so a press released elsewhere (a mouse dragged onto the panels) ends there instead of
 * lingering and spoiling the next finger's tap. Returns the function that removes the listeners.
 */
export function listenForClicks(container: HTMLElement, listener: ClickListener): () => void {
  let press: { pointerId: number; x: number; y: number; spoilt: boolean } | undefined;
  const onDown = (event: PointerEvent) => {
    if (event.target !== listener.canvas()) return;
    // A second finger (a pinch) spoils the press under way: releasing it is no click.
    if (press && event.pointerId !== press.pointerId) press.spoilt = true;
    else
      press =
        event.isPrimary && event.button === 0
          ? { pointerId: event.pointerId, x: event.clientX, y: event.clientY, spoilt: false }
          : undefined;
  };
  const moved = (event: PointerEvent, p: { x: number; y: number }) =>
    Math.hypot(event.clientX - p.x, event.clientY - p.y) >= CLICK_SLOP_PX;
  // A drag that comes back to where it began is a pan, not a click (as for hammer.js).
  const onMove = (event: PointerEvent) => {
    if (press && event.pointerId === press.pointerId && moved(event, press)) press.spoilt = true;
  };
  const onUp = (event: PointerEvent) => {
    if (event.pointerId !== press?.pointerId) return;
    const { spoilt } = press;
    const p = press;
    press = undefined;
    if (spoilt || moved(event, p) || listener.ignore()) return;
    if (event.target instanceof Node && container.contains(event.target)) listener.onClick(event);
  };
  const onCancel = (event: PointerEvent) => {
    if (event.pointerId === press?.pointerId) press = undefined;
  };
  const window = container.ownerDocument.defaultView;
  container.addEventListener('pointerdown', onDown);
  window?.addEventListener('pointermove', onMove, true);
  window?.addEventListener('pointerup', onUp, true);
  window?.addEventListener('pointercancel', onCancel, true);
  return () => {
    container.removeEventListener('pointerdown', onDown);
    window?.removeEventListener('pointermove', onMove, true);
    window?.removeEventListener('pointerup', onUp, true);
    window?.removeEventListener('pointercancel', onCancel, true);
  };
}
