/** What a single key does in the app (HelpOverlay lists them). */
export type Shortcut =
  | { kind: 'escape' }
  | { kind: 'help' }
  | { kind: 'compute' }
  | { kind: 'cluster' }
  | { kind: 'toggle-layer'; layer: 'similarity' | 'clusters' }
  | { kind: 'tour' }
  | { kind: 'focus-map' }
  | { kind: 'composite'; index: number };

/** The element a key went to, as much as the shortcuts need of it. */
export interface KeyTarget {
  tagName: string;
  /** An input's type ('text', 'number', 'radio', ...). */
  type?: string;
  isContentEditable?: boolean;
}

/** Inputs whose keys choose rather than type: a shortcut letter never lands in them. */
const CHOICE_INPUTS = new Set([
  'checkbox',
  'radio',
  'range',
  'button',
  'submit',
  'reset',
  'file',
  'color',
  'image',
]);

/**
 * Where the keyboard focus is, for shortcuts: typing (a text, number or date field: every key
 * is text), choosing (a select, radio, checkbox, slider or button: letters may pick an option,
 * but `?` means nothing there) or elsewhere (the page, the map).
 */
export function focusKind(target: KeyTarget | null): 'typing' | 'choosing' | 'elsewhere' {
  if (!target) return 'elsewhere';
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return 'typing';
  if (target.tagName === 'INPUT')
    return CHOICE_INPUTS.has((target.type ?? 'text').toLowerCase()) ? 'choosing' : 'typing';
  if (target.tagName === 'SELECT') return 'choosing';
  return 'elsewhere';
}

/**
 * The shortcut a key press means, or undefined. Modified keys (Ctrl, Cmd, Alt) are the
 * browser's; while typing no key is a shortcut; while a select or radio has the focus only
 * `?` is (its letters pick options, its arrows move the choice).
 */
export function shortcutFor(
  key: string,
  modifiers: { ctrl: boolean; meta: boolean; alt: boolean },
  target: KeyTarget | null,
): Shortcut | undefined {
  if (modifiers.ctrl || modifiers.meta || modifiers.alt) return undefined;
  const where = focusKind(target);
  if (where === 'typing') return undefined;
  if (key === '?') return { kind: 'help' };
  if (where === 'choosing') return undefined;
  switch (key.toLowerCase()) {
    case 'escape':
      return { kind: 'escape' };
    case 'e':
      return { kind: 'compute' };
    case 'c':
      return { kind: 'cluster' };
    case 's':
      return { kind: 'toggle-layer', layer: 'similarity' };
    case 'k':
      return { kind: 'toggle-layer', layer: 'clusters' };
    case 't':
      return { kind: 'tour' };
    case 'm':
      return { kind: 'focus-map' };
  }
  return /^[1-4]$/.test(key) ? { kind: 'composite', index: Number(key) - 1 } : undefined;
}
