import {
  beginSketch,
  type DrawMode,
  type DrawnShape,
  type PointerSample,
  type PointerType,
  type Sketch,
  type SketchStep,
  sketchKey,
  sketchPointer,
} from '../lib/geo/index.ts';

/**
 * The drawing tools' state, shared by the toolbar (DrawTools) and the map (MapCanvas): which
 * tool is on and the sketch so far. The rules live in the pure state machine (sketch.ts);
 * this only holds its state for the UI and hands a finished shape to `ondone`.
 */
export class DrawController {
  sketch = $state.raw<Sketch | undefined>(undefined);
  /** Why the last attempt was refused; kept after a tool is switched off so it stays readable. */
  message = $state<string | undefined>(undefined);

  constructor(private readonly ondone: (shape: DrawnShape) => void) {}

  get mode(): DrawMode | undefined {
    return this.sketch?.mode;
  }

  /** Turns a tool on (or off, when it is on already). */
  toggle(mode: DrawMode): void {
    this.message = undefined;
    this.sketch = this.sketch?.mode === mode ? undefined : beginSketch(mode);
  }

  cancel(): void {
    this.sketch = undefined;
  }

  pointer(type: PointerType, sample: PointerSample): void {
    if (this.sketch) this.apply(sketchPointer(this.sketch, type, sample));
  }

  /** A key while drawing; true when the sketch used it (the caller then stops it). */
  key(key: string): boolean {
    const step = this.sketch && sketchKey(this.sketch, key);
    if (!step) return false;
    this.apply(step);
    return true;
  }

  /** Closes the polygon being drawn (the toolbar's "Finish" button). */
  finish(): void {
    this.key('Enter');
  }

  private apply(step: SketchStep): void {
    if (step.kind === 'drawing') {
      this.sketch = step.sketch;
      this.message = step.sketch.message;
      return;
    }
    this.sketch = undefined;
    this.message = undefined;
    if (step.kind === 'done') this.ondone(step.shape);
  }
}
