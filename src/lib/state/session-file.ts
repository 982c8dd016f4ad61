import { z } from 'zod';
import type { LabelState } from '../classify/index.ts';
import { labelsFromSession, labelsToSession } from '../classify/index.ts';
import { AppError } from '../errors.ts';
import { parseViewState, serializeViewState, type ViewState } from './url-state.ts';

/** A saved working session: the view (as a link would carry it) plus the analyst's labels. */
export interface Session {
  id: string;
  name: string;
  savedAt: string;
  view: ViewState;
  clusterNames: string[];
  /** Classify's classes and labels (absent in sessions saved before labels were kept). */
  labels?: LabelState;
}

const sessionSchema = z.object({
  format: z.literal('earth-embedding-explorer/session@1'),
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  name: z.string().max(200),
  savedAt: z.string().max(40),
  /** The view as a link query string, validated by the same code as a link. */
  link: z.string().max(4000),
  clusterNames: z.array(z.string().max(100)).max(20),
  /** Classes in raster-value order, labels as GeoJSON; re-checked like a label import. */
  classes: z
    .array(z.object({ name: z.string().max(100), colour: z.string().max(7) }))
    .max(32)
    .optional(),
  labels: z.unknown().optional(),
});

export function sessionToJson(session: Session): string {
  return JSON.stringify(
    {
      format: 'earth-embedding-explorer/session@1',
      id: session.id,
      name: session.name,
      savedAt: session.savedAt,
      link: serializeViewState(session.view),
      clusterNames: session.clusterNames,
      ...(session.labels && session.labels.classes.length > 0 ? labelsToSession(session.labels) : {}),
    },
    null,
    2,
  );
}

/** Reads an exported session file; errors name the field. Link parameters are re-validated. */
export function sessionFromJson(text: string): { session: Session; rejected: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('bad-input', 'This file is not a session: it is not valid JSON.');
  }
  const parsed = sessionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'bad-input',
      `This file is not a session: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { state, rejected } = parseViewState(parsed.data.link);
  const { id, name, savedAt, clusterNames, classes, labels } = parsed.data;
  const session: Session = { id, name, savedAt, view: state, clusterNames };
  if (classes) {
    try {
      const restored = labelsFromSession({
        classes,
        labels: labels ?? { type: 'FeatureCollection', features: [] },
      });
      session.labels = restored.state;
      rejected.push(...restored.rejected);
    } catch (error) {
      throw new AppError(
        'bad-input',
        `This file is not a session: its classes: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { session, rejected };
}

/**
 * Whether two views hold the same clusters (source, scene, model, k, seed), so names given to
 * the clusters of one belong to the other: how the view is shown (threshold, layers) does not
 * matter, and a reload right after such a change, before the session's next save, keeps them.
 */
export function sameClustering(a: ViewState, b: ViewState): boolean {
  const key = (v: ViewState) =>
    serializeViewState({
      source: v.source,
      items: v.items,
      model: v.model,
      k: v.k,
      seed: v.seed,
      files: v.files,
    });
  return key(a) === key(b);
}

/** A readable default name: "dolomites-2022-06, 3 Dec 14:05". */
export function defaultSessionName(view: ViewState, now: Date): string {
  const source =
    view.source?.kind === 'pack'
      ? view.source.name
      : view.source?.kind === 'stac'
        ? 'Live Sentinel-2'
        : view.precomputed
          ? `Precomputed ${view.precomputed.family}${view.precomputed.year ? ` ${view.precomputed.year}` : ''}`
          : 'Session';
  return `${source}, ${now.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}`;
}
