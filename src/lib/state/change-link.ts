/**
 * The change between dates a link names: the other date's scene ids, the label shown for it,
 * and the threshold the user set on the change layer. Reopened, the app reads that date again
 * and maps the change as before (the embeddings are recomputed, never carried).
 */
export interface ChangeLink {
  items: string[];
  label: string;
  threshold?: number;
}

const ITEM_ID = /^[A-Za-z0-9._-]{1,120}$/;
const LABEL = /^[\p{L}\p{N} ._:,()/+-]{1,80}$/u;

/** Reads `chg` (ids), `chg_label` and `chg_t`; what is malformed goes to `rejected`. */
export function parseChangeLink(params: URLSearchParams, rejected: string[]): ChangeLink | undefined {
  const ids = params.get('chg');
  if (ids === null) return undefined;
  const items = ids.split(',');
  if (items.length > 12 || !items.every((id) => ITEM_ID.test(id))) {
    rejected.push('chg: expected up to 12 scene ids separated by ","');
    return undefined;
  }
  const label = params.get('chg_label') ?? items.join(', ');
  if (!LABEL.test(label)) {
    rejected.push('chg_label: expected a short date or scene label');
    return undefined;
  }
  const link: ChangeLink = { items, label };
  const t = params.get('chg_t');
  if (t !== null) {
    const value = Number(t);
    if (t.trim() !== '' && Number.isFinite(value) && value >= 0) link.threshold = value;
    else rejected.push('chg_t: expected a change threshold (a number >= 0)');
  }
  return link;
}

export function writeChangeLink(params: URLSearchParams, link: ChangeLink | undefined): void {
  if (!link) return;
  params.set('chg', link.items.join(','));
  params.set('chg_label', link.label);
  if (link.threshold !== undefined) params.set('chg_t', String(Math.round(link.threshold * 1e6) / 1e6));
}
