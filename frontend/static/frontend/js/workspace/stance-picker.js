/**
 * Stance picker: one row per target of the schema, one toggle button per label with its
 * digit hotkey (1-9, as the keymap binds them). With several targets, ↑/↓ choose the
 * row the digits apply to.
 *
 * @module stance-picker
 */

import { el } from './span-editor.js';

export class StancePicker {
  /**
   * @param {object} o
   * @param {HTMLElement} o.root
   * @param {object} o.schema
   * @param {(target: string, label: string) => void} o.onPick
   */
  constructor({ root, schema, onPick }) {
    this.root = root;
    this.targets = schema?.stance?.targets ?? [];
    this.labels = schema?.stance?.labels ?? [];
    this.onPick = onPick;
    this.current = 0;
  }

  /** @param {number} delta */
  move(delta) {
    if (this.targets.length === 0) return;
    this.current = (this.current + delta + this.targets.length) % this.targets.length;
  }

  /** @returns {string | undefined} the target the digit keys apply to */
  get target() {
    return this.targets[this.current];
  }

  /** @param {{stance: Array<{target: string, label: string}>}} ann */
  render(ann) {
    const chosen = new Map(ann.stance.map((s) => [s.target, s.label]));
    const frag = document.createDocumentFragment();
    if (this.targets.length === 0) frag.append(el('p', 'muted', 'This project has no stance targets.'));
    this.targets.forEach((target, row) => {
      const group = el('div', row === this.current && this.targets.length > 1 ? 'ws-stance-row current' : 'ws-stance-row');
      group.setAttribute('role', 'group');
      const name = el('p', 'ws-stance-target', target);
      name.id = `ws-stance-t${row}`;
      group.setAttribute('aria-labelledby', name.id);
      const buttons = el('div', 'ws-stance-buttons');
      this.labels.forEach((label, i) => {
        const b = el('button', 'ws-stance-label');
        b.type = 'button';
        const on = chosen.get(target) === label;
        b.setAttribute('aria-pressed', String(on));
        if (i < 9) b.append(el('kbd', '', String(i + 1)), ' ');
        b.append(label);
        if (on) b.append(' ✓');
        b.addEventListener('click', () => { this.current = row; this.onPick(target, label); });
        buttons.append(b);
      });
      const state = el('span', 'muted ws-stance-state', chosen.has(target) ? `: ${chosen.get(target)}` : ': not set');
      name.append(state);
      group.append(name, buttons);
      frag.append(group);
    });
    this.root.replaceChildren(frag);
  }
}
