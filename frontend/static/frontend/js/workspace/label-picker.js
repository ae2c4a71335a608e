/**
 * Entity labels by pointer: the menu that opens at a mouse selection (type to filter,
 * ↑/↓ and Enter or a click apply, Esc closes; on an empty filter a label's hotkey applies
 * it at once, as it does outside the menu) and, on touch screens, a bottom sheet of
 * label buttons. Holds no annotation state: it calls onApply(label) and onClose().
 *
 * @module label-picker
 */

import { el } from './span-editor.js';
import { filterLabels } from '../lib/labels.js';
import { keyFromEvent, normalizeKeySpec } from '../lib/keymap.js';

/**
 * One label button: swatch, hotkey, name and (visible) description.
 * @param {{name: string, hotkey?: string, description?: string}} t
 * @param {string} color
 * @param {string} className
 * @returns {HTMLButtonElement}
 */
export function labelButton(t, color, className) {
  const b = /** @type {HTMLButtonElement} */ (el('button', className));
  b.type = 'button';
  b.dataset.label = t.name;
  const sw = el('span', 'swatch');
  sw.style.backgroundColor = color;
  sw.setAttribute('aria-hidden', 'true');
  const name = el('span', 'ws-label-name');
  name.append(sw, el('bdi', '', t.name));
  if (t.hotkey) name.append(' ', el('kbd', '', t.hotkey));
  b.append(name);
  if (t.description) b.append(el('span', 'ws-label-desc', t.description));
  return b;
}

export class LabelMenu {
  /**
   * @param {object} o
   * @param {HTMLElement} o.container  positioned ancestor the menu is placed in
   * @param {Array<{name: string, hotkey?: string, description?: string}>} o.types
   * @param {(label: string) => string} o.color
   * @param {(label: string) => void} o.onApply
   * @param {() => void} o.onClose
   */
  constructor(o) {
    Object.assign(this, o);
    this.hotkeys = new Map(o.types.filter((t) => t.hotkey).map((t) => [normalizeKeySpec(t.hotkey), t.name]));
    this.box = el('div', 'ws-menu');
    this.box.id = 'ws-label-menu';
    this.box.setAttribute('role', 'dialog');
    this.box.setAttribute('aria-label', 'Label the selection');
    this.box.hidden = true;
    this.input = /** @type {HTMLInputElement} */ (el('input'));
    this.input.type = 'text';
    this.input.autocomplete = 'off';
    this.input.placeholder = 'Type to filter, Enter applies';
    this.input.setAttribute('aria-label', 'Filter labels');
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-controls', 'ws-label-menu-list');
    this.input.setAttribute('aria-expanded', 'true');
    this.list = el('ul', 'ws-menu-list');
    this.list.id = 'ws-label-menu-list';
    this.list.setAttribute('role', 'listbox');
    this.box.append(this.input, this.list);
    this.container.append(this.box);
    this.active = 0;
    /** @type {Array<{name: string}>} */
    this.shown = [];
    this.input.addEventListener('input', () => { this.active = 0; this.draw(); });
    this.input.addEventListener('keydown', (ev) => this.onKey(ev));
    this.list.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep focus in the filter
    this.list.addEventListener('click', (ev) => {
      const li = /** @type {HTMLElement} */ (ev.target).closest?.('[data-label]');
      if (li) this.apply(/** @type {HTMLElement} */ (li).dataset.label ?? '');
    });
    document.addEventListener('mousedown', (ev) => {
      if (!this.box.hidden && !this.box.contains(/** @type {Node} */ (ev.target))) this.close(false);
    }, true);
  }

  get isOpen() { return !this.box.hidden; }

  /** Open under the viewport rectangle `rect` (the selection's last segment). */
  open(rect) {
    const origin = this.container.getBoundingClientRect();
    this.input.value = '';
    this.active = 0;
    this.draw();
    this.box.hidden = false;
    const width = this.box.offsetWidth;
    const left = Math.max(0, Math.min(rect.left - origin.left, origin.width - width));
    this.box.style.left = `${left}px`;
    this.box.style.top = `${rect.bottom - origin.top + 6}px`;
    this.input.focus({ preventScroll: true });
  }

  /** @param {boolean} [notify] */
  close(notify = true) {
    if (this.box.hidden) return;
    this.box.hidden = true;
    if (notify) this.onClose();
  }

  draw() {
    this.shown = filterLabels(this.types, this.input.value);
    if (this.active >= this.shown.length) this.active = Math.max(0, this.shown.length - 1);
    const frag = document.createDocumentFragment();
    this.shown.forEach((t, i) => {
      const li = el('li', i === this.active ? 'ws-menu-item active' : 'ws-menu-item');
      li.id = `ws-label-menu-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.active));
      li.dataset.label = t.name;
      li.append(labelButton(t, this.color(t.name), 'ws-menu-label'));
      li.firstElementChild?.setAttribute('tabindex', '-1');
      frag.append(li);
    });
    if (!this.shown.length) frag.append(el('li', 'muted ws-menu-none', 'No label matches.'));
    this.list.replaceChildren(frag);
    if (this.shown.length) this.input.setAttribute('aria-activedescendant', `ws-label-menu-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  /** @param {KeyboardEvent} ev */
  onKey(ev) {
    const key = keyFromEvent(ev);
    if (key === 'escape') { ev.preventDefault(); this.close(); return; }
    if (key === 'enter') { ev.preventDefault(); if (this.shown[this.active]) this.apply(this.shown[this.active].name); return; }
    if (key === 'arrowdown' || key === 'arrowup') {
      ev.preventDefault();
      const n = this.shown.length;
      if (n) this.active = (this.active + (key === 'arrowdown' ? 1 : -1) + n) % n;
      this.draw();
      return;
    }
    if (this.input.value === '' && key && this.hotkeys.has(key)) {
      ev.preventDefault();
      this.apply(/** @type {string} */ (this.hotkeys.get(key)));
    }
  }

  /** @param {string} label */
  apply(label) {
    this.box.hidden = true;
    this.onApply(label);
  }
}

export class LabelSheet {
  /**
   * @param {object} o
   * @param {HTMLElement} o.root   the sheet element (hidden until a tap selects tokens)
   * @param {HTMLElement} o.title  says what is selected
   * @param {HTMLElement} o.list
   * @param {Array<{name: string, hotkey?: string, description?: string}>} o.types
   * @param {(label: string) => string} o.color
   * @param {(label: string) => void} o.onApply
   * @param {() => void} o.onClose
   */
  constructor(o) {
    Object.assign(this, o);
    this.list.replaceChildren(...o.types.map((t) => {
      const li = el('li');
      li.append(labelButton(t, o.color(t.name), 'ws-sheet-label'));
      return li;
    }));
    this.list.addEventListener('click', (ev) => {
      const b = /** @type {HTMLElement} */ (ev.target).closest?.('[data-label]');
      if (b) this.onApply(/** @type {HTMLElement} */ (b).dataset.label ?? '');
    });
  }

  /**
   * @param {string} text the selected text
   * @param {Element | undefined} anchor the selection's last segment: kept in sight above the sheet
   */
  open(text, anchor) {
    this.title.textContent = `Label “${text}”`;
    this.root.hidden = false;
    document.body.classList.add('ws-sheet-open');
    if (!anchor) return;
    const below = anchor.getBoundingClientRect().bottom + 12 - this.root.getBoundingClientRect().top;
    if (below > 0) window.scrollBy(0, below);
  }

  close() {
    this.root.hidden = true;
    document.body.classList.remove('ws-sheet-open');
  }
}
