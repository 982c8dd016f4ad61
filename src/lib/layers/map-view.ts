import { FlyToInterpolator, type MapViewState, WebMercatorViewport } from '@deck.gl/core';

/**
 * The view as the container is now. deck.gl sizes its own viewport only when it draws the
 * next frame, so after the map grows (a phone's panel sheet closed, a window resized) and
 * before that frame (hundreds of ms on a software GPU), its viewport is the old size: a click
 * read with it landed 170 px off, outside the scene. The view state is deck.gl's own (every
 * change passes through nextInitialView or onViewStateChange) and keeps its centre on a resize.
 */
export function viewportIn(container: HTMLElement, view: MapViewState): WebMercatorViewport {
  const { width, height } = container.getBoundingClientRect();
  return new WebMercatorViewport({ ...view, width: Math.max(width, 1), height: Math.max(height, 1) });
}

const VIEW_KEYS = ['longitude', 'latitude', 'zoom', 'pitch', 'bearing', 'transitionDuration'] as const;

/**
 * The initialViewState to hand deck.gl for `view` (a fly of `durationMs`, or a jump at 0).
 * deck.gl ignores one equal to the last it was given, even when the view has moved since (a
 * pan): flying to the same place twice did nothing while clicks went by the new view. One
 * millisecond more makes it differ.
 */
export function nextInitialView(
  view: MapViewState,
  durationMs: number,
  last: MapViewState | undefined,
): MapViewState {
  const given: MapViewState =
    durationMs > 0
      ? { ...view, transitionDuration: durationMs, transitionInterpolator: new FlyToInterpolator() }
      : { ...view };
  if (last !== undefined && VIEW_KEYS.every((key) => given[key] === last[key]))
    given.transitionDuration =
      typeof given.transitionDuration === 'number' ? given.transitionDuration + 1 : 1;
  return given;
}
