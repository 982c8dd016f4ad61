/** Cursor steps in CSS pixels: an arrow moves it STEP, Shift+arrow FAST_STEP. */
export const STEP = 8;
export const FAST_STEP = 48;
/** The cursor stays this far inside the map's edges; past them the map pans instead. */
const MARGIN = 12;

export interface MapKeyboardActions {
  /** Pans the view by CSS pixels (the cursor reached an edge). */
  pan(dx: number, dy: number): void;
  zoom(delta: number): void;
  /** Enter/Space at the cursor: a query, Shift a place like it, Alt one unlike it. */
  query(x: number, y: number, modifiers: { shift: boolean; alt: boolean }): void;
}

const ARROWS: Readonly<Record<string, [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The map's keyboard cursor: where it is (CSS pixels of the map's container), whether it
 * shows, and what each key does. It shows once the keyboard is used on the focused map and
 * hides for the mouse, so a pointer user never sees a stray ring.
 */
export class MapKeyboard {
  x = $state(0);
  y = $state(0);
  private placed = false;
  private hasFocus = $state(false);
  private keyboardUsed = $state(false);

  constructor(
    private readonly size: () => { width: number; height: number },
    private readonly actions: MapKeyboardActions,
  ) {}

  get shown(): boolean {
    return this.hasFocus && this.keyboardUsed;
  }

  /** The keyboard brought the focus (Tab, the M shortcut): the cursor shows. */
  use(): void {
    this.keyboardUsed = true;
  }

  focus(byKeyboard: boolean): void {
    this.hasFocus = true;
    if (byKeyboard) this.keyboardUsed = true;
    this.place();
  }

  /** The focus left the map (not just moved to its canvas). */
  blur(stillInside: boolean): void {
    if (!stillInside) this.hasFocus = false;
  }

  pointer(): void {
    this.keyboardUsed = false;
  }

  /** Handles a key on the map; keys it does not use go on to the app's shortcuts. */
  key(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey) return;
    const arrow = ARROWS[event.key];
    if (arrow)
      this.move(
        arrow[0] * (event.shiftKey ? FAST_STEP : STEP),
        arrow[1] * (event.shiftKey ? FAST_STEP : STEP),
      );
    else if (event.key === 'Enter' || event.key === ' ') {
      this.use();
      this.place();
      this.actions.query(this.x, this.y, { shift: event.shiftKey, alt: event.altKey });
    } else if (event.key === '+' || event.key === '=') this.actions.zoom(1);
    else if (event.key === '-') this.actions.zoom(-1);
    else return;
    event.preventDefault();
  }

  /** The cursor starts at the map's centre and is kept inside it when the map shrinks. */
  private place(): void {
    const { width, height } = this.size();
    if (!this.placed) {
      this.x = Math.round(width / 2);
      this.y = Math.round(height / 2);
      this.placed = true;
    }
    this.x = clamp(this.x, MARGIN, width - MARGIN);
    this.y = clamp(this.y, MARGIN, height - MARGIN);
  }

  private move(dx: number, dy: number): void {
    this.use();
    this.place();
    const { width, height } = this.size();
    const x = this.x + dx;
    const y = this.y + dy;
    const inX = x >= MARGIN && x <= width - MARGIN;
    const inY = y >= MARGIN && y <= height - MARGIN;
    if (inX) this.x = x;
    if (inY) this.y = y;
    // At an edge the map moves under the cursor instead.
    if (!inX || !inY) this.actions.pan(inX ? 0 : dx, inY ? 0 : dy);
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), Math.max(low, high));
}
