/**
 * Event editor: a type-ahead for the event type (the trigger is the current selection),
 * a type-ahead for an argument's role (its span is the current selection), and the
 * compact frames drawn under the sentence.
 *
 * @module event-editor
 */

import { rankMatches } from '../lib/typeahead.js';
import { el } from './span-editor.js';

/** A combobox over a list of names: ↑/↓ choose, Enter picks, Esc gives up. */
export class TypeAhead {
  /**
   * @param {HTMLInputElement} input
   * @param {HTMLElement} list
   * @param {() => string[]} items
   * @param {(name: string) => void} onPick
   * @param {() => void} onCancel
   */
  constructor(input, list, items, onPick, onCancel) {
    Object.assign(this, { input, list, items, onPick, onCancel });
    this.active = 0;
    this.matches = [];
    input.addEventListener('input', () => { this.active = 0; this.update(); });
    input.addEventListener('focus', () => this.update());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    input.addEventListener('keydown', (ev) => this.onKey(ev));
  }

  update() {
    this.matches = rankMatches(this.items(), this.input.value, { limit: 12 });
    if (this.active >= this.matches.length) this.active = Math.max(0, this.matches.length - 1);
    const frag = document.createDocumentFragment();
    this.matches.forEach((m, i) => {
      const li = el('li', i === this.active ? 'active' : '');
      li.id = `${this.list.id}-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.active));
      li.append(m.name.slice(0, m.matchStart), el('mark', '', m.name.slice(m.matchStart, m.matchEnd)), m.name.slice(m.matchEnd));
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); this.pick(i); });
      frag.append(li);
    });
    if (this.matches.length === 0) frag.append(el('li', 'muted', 'no match'));
    this.list.replaceChildren(frag);
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    if (this.matches.length) this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  /** @param {number} i */
  pick(i) {
    const m = this.matches[i];
    if (!m) return;
    this.input.value = '';
    this.close();
    this.onPick(m.name);
  }

  /** @param {KeyboardEvent} ev */
  onKey(ev) {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const n = this.matches.length;
      if (n) this.active = (this.active + (ev.key === 'ArrowDown' ? 1 : -1) + n) % n;
      this.update();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      this.pick(this.active);
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      this.input.value = '';
      this.close();
      this.onCancel();
    }
  }
}

export class EventEditor {
  /**
   * @param {object} o
   * @param {object} o.schema
   * @param {HTMLElement} o.framesEl
   * @param {HTMLInputElement} o.typeInput
   * @param {HTMLElement} o.typeList
   * @param {HTMLInputElement} o.roleInput
   * @param {HTMLElement} o.roleList
   * @param {(start: number, end: number) => string} o.slice
   * @param {(type: string) => void} o.onType          create an event on the selection
   * @param {(role: string) => void} o.onRole          add an argument to the current event
   * @param {(index: number) => void} o.onSelectEvent
   * @param {(index: number) => void} o.onRemoveEvent
   * @param {(event: number, arg: number) => void} o.onRemoveArgument
   * @param {() => void} o.onCancel
   */
  constructor(o) {
    Object.assign(this, o);
    this.types = (o.schema?.event_types ?? []).map((t) => t.name);
    this.roles = new Map((o.schema?.event_types ?? []).map((t) => [t.name, t.roles ?? []]));
    this.currentType = null;
    this.typeAhead = new TypeAhead(o.typeInput, o.typeList, () => this.types, o.onType, o.onCancel);
    this.roleAhead = new TypeAhead(o.roleInput, o.roleList, () => this.roles.get(this.currentType) ?? [], o.onRole, o.onCancel);
  }

  openType() {
    this.typeInput.focus();
  }

  openRole() {
    this.roleInput.focus();
  }

  /**
   * @param {object} ann
   * @param {number} current  index of the current event, -1 for none
   */
  render(ann, current) {
    this.currentType = ann.events[current]?.type ?? null;
    this.roleInput.disabled = this.currentType === null;
    this.roleInput.placeholder = this.currentType ? `a role of ${this.currentType}` : 'first add an event';
    const frag = document.createDocumentFragment();
    if (ann.events.length === 0) {
      frag.append(el('li', 'muted ws-frame-empty', 'No events. Select the trigger word, press e and type the event type.'));
    }
    ann.events.forEach((ev, i) => {
      const li = el('li', i === current ? 'ws-frame current' : 'ws-frame');
      const head = el('div', 'ws-frame-head');
      const pick = el('button', 'link ws-pick');
      pick.type = 'button';
      pick.append(el('strong', '', ev.type), ' — trigger ', el('q', '', this.slice(ev.trigger.start, ev.trigger.end)));
      if (i === current) pick.append(el('span', 'muted', ' (current)'));
      pick.setAttribute('aria-label', `Event ${i + 1}: ${ev.type}, trigger ${this.slice(ev.trigger.start, ev.trigger.end)}${i === current ? ' (current)' : ''}. Make current.`);
      pick.addEventListener('click', () => this.onSelectEvent(i));
      const rm = el('button', 'ws-remove', 'Remove event');
      rm.type = 'button';
      rm.addEventListener('click', () => this.onRemoveEvent(i));
      head.append(pick, rm);
      const args = el('ul', 'ws-args');
      ev.arguments.forEach((a, j) => {
        const item = el('li', 'ws-arg');
        item.append(el('span', 'ws-role', a.role), ': ', el('q', '', this.slice(a.start, a.end)), ' ');
        const x = el('button', 'ws-remove', '×');
        x.type = 'button';
        x.setAttribute('aria-label', `Remove argument ${a.role} ${this.slice(a.start, a.end)}`);
        x.addEventListener('click', () => this.onRemoveArgument(i, j));
        item.append(x);
        args.append(item);
      });
      if (ev.arguments.length === 0) args.append(el('li', 'muted', 'no arguments yet'));
      li.append(head, args);
      frag.append(li);
    });
    this.framesEl.replaceChildren(frag);
  }
}
