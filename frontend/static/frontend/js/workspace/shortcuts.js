/**
 * The workspace keymap (lib/keymap.js plus the workspace's own extra keys) and the
 * shortcut sheet shown on `?`.
 *
 * The extra keys use Ctrl, ↑/↓, Page Up/Down, or Shift with a reserved letter, so no schema hotkey
 * (a single unreserved character, annotator/projects/schema.py) can shadow them.
 *
 * @module shortcuts
 */

import { buildKeymap, describeKeymap, formatKey } from '../lib/keymap.js';
import { el } from './span-editor.js';

export const EXTRA = Object.freeze([
  { action: 'argument', keys: ['shift+e'], description: 'Add an argument to the current event (its span is the selection)' },
  { action: 'stance-prev', keys: ['arrowup'], description: 'Previous stance target (digits apply to it)' },
  { action: 'stance-next', keys: ['arrowdown'], description: 'Next stance target' },
  { action: 'save', keys: ['ctrl+s'], description: 'Save the draft now' },
  { action: 'go-previous', keys: ['pageup'], description: 'Back to my previous sentence (a draft is saved first)' },
  { action: 'go-next', keys: ['pagedown'], description: 'My next sentence, or new work after the last one' },
  { action: 'guidelines', keys: ['ctrl+g'], description: 'Show or hide the guidelines' },
]);

/**
 * @param {object} schema
 * @returns {ReturnType<typeof buildKeymap>}
 */
export function workspaceKeymap(schema) {
  const keymap = buildKeymap(schema);
  for (const x of EXTRA) {
    for (const k of x.keys) {
      if (!keymap.bindings.has(k)) keymap.bindings.set(k, { action: x.action, description: x.description });
    }
  }
  return keymap;
}

/**
 * Fill the sheet's table body.
 * @param {HTMLElement} tbody
 * @param {ReturnType<typeof buildKeymap>} keymap
 */
export function renderSheet(tbody, keymap) {
  const frag = document.createDocumentFragment();
  for (const row of describeKeymap(keymap)) {
    const tr = el('tr');
    const keys = el('td');
    row.keys.forEach((k, i) => {
      if (i) keys.append(' or ');
      keys.append(el('kbd', '', formatKey(k)));
    });
    tr.append(keys, el('td', '', row.description));
    frag.append(tr);
  }
  const tr = el('tr');
  tr.append(el('td', '', 'Mouse'), el('td', '', 'Drag over words to select (snaps to whole tokens); click a label chip to remove that entity'));
  frag.append(tr);
  tbody.replaceChildren(frag);
}
