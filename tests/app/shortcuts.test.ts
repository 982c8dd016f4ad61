import { describe, expect, it } from 'vitest';
import { focusKind, shortcutFor } from '../../src/app/shortcuts.ts';

const none = { ctrl: false, meta: false, alt: false };
const input = (type: string) => ({ tagName: 'INPUT', type });

describe('single-key shortcuts', () => {
  it('`?` opens the help from the page, a select, a radio, a checkbox or a slider', () => {
    for (const target of [
      null,
      { tagName: 'BUTTON' },
      { tagName: 'SELECT' },
      input('radio'),
      input('checkbox'),
      input('range'),
    ])
      expect(shortcutFor('?', none, target)).toEqual({ kind: 'help' });
  });

  it('nothing is a shortcut while typing in a text, number or date field or a textarea', () => {
    for (const target of [
      input('text'),
      input('number'),
      input('date'),
      input('url'),
      { tagName: 'TEXTAREA' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      expect(focusKind(target)).toBe('typing');
      for (const key of ['?', 'e', 'c', 'm', 'Escape', '1'])
        expect(shortcutFor(key, none, target)).toBeUndefined();
    }
    // An input without a type attribute is a text field.
    expect(focusKind({ tagName: 'INPUT' })).toBe('typing');
  });

  it('letters and digits are left to a focused select or radio (they pick options there)', () => {
    for (const target of [{ tagName: 'SELECT' }, input('radio')])
      for (const key of ['e', 'c', 's', '2', 'Escape'])
        expect(shortcutFor(key, none, target)).toBeUndefined();
  });

  it('maps each key on the page or a button to its action, either case', () => {
    const page = { tagName: 'BUTTON' };
    expect(shortcutFor('E', none, page)).toEqual({ kind: 'compute' });
    expect(shortcutFor('c', none, page)).toEqual({ kind: 'cluster' });
    expect(shortcutFor('s', none, page)).toEqual({ kind: 'toggle-layer', layer: 'similarity' });
    expect(shortcutFor('K', none, page)).toEqual({ kind: 'toggle-layer', layer: 'clusters' });
    expect(shortcutFor('t', none, page)).toEqual({ kind: 'tour' });
    expect(shortcutFor('m', none, { tagName: 'BODY' })).toEqual({ kind: 'focus-map' });
    expect(shortcutFor('Escape', none, { tagName: 'DIV' })).toEqual({ kind: 'escape' });
    expect(shortcutFor('3', none, null)).toEqual({ kind: 'composite', index: 2 });
    expect(shortcutFor('5', none, null)).toBeUndefined();
    expect(shortcutFor('x', none, null)).toBeUndefined();
  });

  it('leaves Ctrl, Cmd and Alt combinations to the browser and the map', () => {
    expect(shortcutFor('c', { ...none, ctrl: true }, null)).toBeUndefined();
    expect(shortcutFor('?', { ...none, meta: true }, null)).toBeUndefined();
    expect(shortcutFor('Enter', { ...none, alt: true }, null)).toBeUndefined();
  });
});
