import { describe, expect, it } from 'vitest';
import {
  beginSketch,
  type PointerSample,
  type PointerType,
  type Sketch,
  type SketchStep,
  sketchKey,
  sketchPointer,
} from '../../src/lib/geo/sketch.ts';

/** A toy screen: 1000 px per degree, y down, so screen and map positions agree. */
const at = (x: number, y: number): PointerSample => ({ x, y, lon: 12 + x / 1000, lat: 46.6 - y / 1000 });

function run(sketch: Sketch, events: [PointerType, number, number][]): SketchStep {
  let step: SketchStep = { kind: 'drawing', sketch };
  for (const [type, x, y] of events) {
    if (step.kind !== 'drawing') throw new Error(`sketch ended before ${type}`);
    step = sketchPointer(step.sketch, type, at(x, y));
  }
  return step;
}

const click = (x: number, y: number): [PointerType, number, number][] => [
  ['down', x, y],
  ['up', x, y],
];

function drawingOf(step: SketchStep | undefined): Sketch {
  if (step?.kind !== 'drawing') throw new Error(`expected drawing, got ${step?.kind}`);
  return step.sketch;
}

describe('the drawing state machine', () => {
  it('rectangle: press, drag, release gives the box of the two corners', () => {
    const step = run(beginSketch('rectangle'), [
      ['down', 100, 200],
      ['move', 150, 260],
      ['move', 300, 250],
      ['up', 300, 250],
    ]);
    expect(step).toEqual({ kind: 'done', shape: { box: [12.1, 46.35, 12.3, 46.4] } });
  });

  it('rectangle: the live sketch follows the pointer; a click without a drag explains itself', () => {
    const live = drawingOf(
      run(beginSketch('rectangle'), [
        ['down', 100, 200],
        ['move', 150, 260],
      ]),
    );
    expect(live.points.map((p) => [p.x, p.y])).toEqual([[100, 200]]);
    expect(live.cursor).toMatchObject({ x: 150, y: 260 });
    const clicked = drawingOf(run(beginSketch('rectangle'), click(100, 200)));
    expect(clicked.message).toContain('drag');
    expect(clicked.points).toEqual([]);
  });

  it('polygon: clicks place corners, double-click closes (its second click adds nothing)', () => {
    const step = run(beginSketch('polygon'), [
      ...click(0, 0),
      ...click(100, 0),
      ['move', 100, 100],
      ...click(100, 100),
      ...click(100, 100),
      ['dblclick', 100, 100],
    ]);
    expect(step.kind).toBe('done');
    if (step.kind !== 'done') return;
    expect(step.shape.polygon).toEqual([
      [12, 46.6],
      [12.1, 46.6],
      [12.1, 46.5],
    ]);
    expect(step.shape.box).toEqual([12, 46.5, 12.1, 46.6]);
  });

  it('polygon: clicking the first corner or Enter closes; Backspace removes; Esc cancels', () => {
    const three = [...click(0, 0), ...click(100, 0), ...click(100, 100)];
    expect(run(beginSketch('polygon'), [...three, ...click(3, 2)]).kind).toBe('done');
    const open = drawingOf(run(beginSketch('polygon'), three));
    expect(sketchKey(open, 'Enter')?.kind).toBe('done');
    const fewer = drawingOf(sketchKey(open, 'Backspace'));
    expect(fewer.points).toHaveLength(2);
    expect(sketchKey(open, 'Escape')).toEqual({ kind: 'cancelled' });
    expect(sketchKey(open, 'x')).toBeUndefined();
  });

  it('polygon: a press that drags is not a corner; closing too early or crossed keeps the sketch with a message', () => {
    const dragged = drawingOf(
      run(beginSketch('polygon'), [
        ['down', 0, 0],
        ['move', 40, 0],
        ['up', 40, 0],
      ]),
    );
    expect(dragged.points).toEqual([]);
    const two = drawingOf(run(beginSketch('polygon'), [...click(0, 0), ...click(100, 0)]));
    const early = drawingOf(sketchKey(two, 'Enter'));
    expect(early.message).toContain('at least 3 corners');
    expect(early.points).toHaveLength(2);
    const bowtie = drawingOf(
      run(beginSketch('polygon'), [...click(0, 0), ...click(100, 100), ...click(100, 0), ...click(0, 100)]),
    );
    const crossed = drawingOf(sketchKey(bowtie, 'Enter'));
    expect(crossed.message).toContain('cross');
    // Removing the offending corner and closing again works.
    expect(sketchKey(drawingOf(sketchKey(crossed, 'Backspace')), 'Enter')?.kind).toBe('done');
  });

  it('brush: a drag gives its samples at least 4 px apart; a click gives one; moves before a press paint nothing', () => {
    const stroke = run(beginSketch('brush'), [
      ['move', 0, 0],
      ['down', 10, 10],
      ['move', 11, 10],
      ['move', 14, 10],
      ['move', 30, 10],
      ['up', 31, 10],
    ]);
    expect(stroke.kind).toBe('done');
    if (stroke.kind !== 'done') return;
    expect(stroke.shape.stroke).toEqual([
      [12.01, 46.59],
      [12.014, 46.59],
      [12.03, 46.59],
    ]);
    expect(stroke.shape.box).toEqual([12.01, 46.59, 12.03, 46.59]);
    const dab = run(beginSketch('brush'), click(5, 5));
    expect(dab.kind === 'done' && dab.shape.stroke).toEqual([[12.005, 46.595]]);
    expect(sketchKey(beginSketch('brush'), 'Escape')).toEqual({ kind: 'cancelled' });
  });

  it('rectangle ignores polygon keys except Esc', () => {
    const rect = beginSketch('rectangle');
    expect(sketchKey(rect, 'Enter')).toBeUndefined();
    expect(sketchKey(rect, 'Backspace')).toBeUndefined();
    expect(sketchKey(rect, 'Escape')).toEqual({ kind: 'cancelled' });
  });
});
