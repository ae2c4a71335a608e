/**
 * Span editor: draws the sentence with its entity highlights, the token cursor and
 * event triggers, turns mouse selections into token-snapped code point spans, and
 * lists the entities beside the text. Holds no annotation state: main.js passes the
 * annotation and cursor to render() and gets user intents back through callbacks.
 *
 * DOM shape (flat, so a DOM position maps to an offset without walking trees):
 *   #ws-text > span.seg[data-s16][data-e16]  (text of one segment, UTF-16 bounds)
 *            > span.chip[data-p16]            (a label drawn after a span's end)
 *
 * @module span-editor
 */

import { makeOffsetIndex } from '../lib/offsets.js';
import { snapToTokens, tokenAt } from '../lib/tokens.js';
import { layoutSpans } from '../lib/spans.js';

const FALLBACK = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const LANE = 5; // px per lane of underline

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class SpanEditor {
  /**
   * @param {object} o
   * @param {HTMLElement} o.textEl       the flat text container
   * @param {HTMLElement} o.listEl       the entity list
   * @param {HTMLElement} o.countEl
   * @param {HTMLElement} o.selectionEl  shows the selected text
   * @param {object} o.schema
   * @param {(first: number, last: number) => void} o.onSelectTokens  a mouse selection or click
   * @param {(index: number) => void} o.onRemoveEntity
   * @param {(index: number) => void} o.onSelectEntity
   * @param {(index: number) => void} o.onSelectEvent
   * @param {() => void} [o.onDragEnd]  a mouse drag selected tokens (the label menu opens)
   * @param {(token: number) => void} [o.onTapToken]  a finger tapped a token
   */
  constructor(o) {
    Object.assign(this, o);
    /** @type {Map<string, string>} */
    this.colors = new Map((o.schema?.entity_types ?? []).map((t, i) => [t.name, t.color || FALLBACK[i % FALLBACK.length]]));
    this.text = '';
    this.tokens = [];
    this.index = makeOffsetIndex('');
    /** The kind of the last pointer pressed on the text: taps select differently. */
    this.pointerType = 'mouse';
    this.textEl.addEventListener('pointerdown', (ev) => { this.pointerType = ev.pointerType; });
    this.textEl.addEventListener('mousedown', (ev) => this.onMouseDown(ev));
    this.textEl.addEventListener('click', (ev) => this.onClick(ev));
  }

  /** @param {{text: string, tokens: Array<[number, number]>}} sentence */
  load(sentence) {
    this.text = sentence.text;
    this.tokens = sentence.tokens;
    this.index = makeOffsetIndex(sentence.text);
  }

  /** @param {string} label @returns {string} */
  color(label) {
    return this.colors.get(label) ?? '#777777';
  }

  /** Python-style slice by code points. @param {number} start @param {number} end */
  slice(start, end) {
    return this.text.slice(this.index.toUtf16(start), this.index.toUtf16(end));
  }

  /**
   * Redraw everything from the annotation.
   * @param {object} ann
   * @param {{start: number, end: number} | null} cursor  selected code point span
   * @param {number} currentEvent
   */
  render(ann, cursor, currentEvent) {
    const entities = ann.entities;
    const layout = layoutSpans(this.index.lengthCp, entities.map((e, i) => ({ ...e, id: i })));
    const triggers = ann.events.map((ev, i) => ({ ...ev.trigger, i }));
    const cuts = new Set();
    if (cursor) { cuts.add(cursor.start); cuts.add(cursor.end); }
    for (const t of triggers) { cuts.add(t.start); cuts.add(t.end); }
    const sortedCuts = [...cuts].sort((a, b) => a - b);

    const frag = document.createDocumentFragment();
    for (const seg of layout.segments) {
      let s = seg.start;
      const inner = sortedCuts.filter((p) => p > seg.start && p < seg.end);
      for (const e of [...inner, seg.end]) {
        frag.append(this.segment(s, e, seg.ids, layout.lanes, entities, cursor, triggers, currentEvent));
        if (e === seg.end) this.chips(frag, e, seg.ends, layout.lanes, entities);
        for (const t of triggers) {
          if (t.end === e) frag.append(this.triggerChip(t, ann.events[t.i], e, t.i === currentEvent));
        }
        s = e;
      }
    }
    this.textEl.replaceChildren(frag);
    this.textEl.style.setProperty('--lanes', String(layout.depth));
    this.renderList(entities, cursor);
    if (cursor) {
      this.selectionEl.replaceChildren('“', el('bdi', '', this.slice(cursor.start, cursor.end)), '” (', el('bdi', '', `${cursor.start}–${cursor.end}`), ')');
    } else {
      this.selectionEl.textContent = 'none';
    }
  }

  segment(s, e, ids, lanes, entities, cursor, triggers, currentEvent) {
    const span = el('span', 'seg', this.slice(s, e));
    span.dataset.s16 = String(this.index.toUtf16(s));
    span.dataset.e16 = String(this.index.toUtf16(e));
    if (ids.length) {
      span.classList.add('ent');
      const inner = entities[ids[ids.length - 1]];
      span.style.backgroundColor = this.color(inner.label) + '2e';
      const shadows = [];
      ids.forEach((id) => {
        const lane = lanes.get(id);
        shadows.push(`0 ${lane * LANE + 3}px 0 0 ${this.color(entities[id].label)}`, `0 ${lane * LANE + 5}px 0 0 var(--ws-paper)`);
      });
      span.style.boxShadow = shadows.join(', ');
      span.title = ids.map((id) => `${entities[id].label}: ${this.slice(entities[id].start, entities[id].end)}`).join('\n');
    }
    if (cursor && s >= cursor.start && e <= cursor.end) span.classList.add('cur');
    const trig = triggers.find((t) => s >= t.start && e <= t.end);
    if (trig) {
      span.classList.add('trig');
      if (trig.i === currentEvent) span.classList.add('trig-current');
    }
    return span;
  }

  chips(frag, end, endingIds, lanes, entities) {
    const ids = [...endingIds].sort((a, b) => lanes.get(b) - lanes.get(a));
    for (const id of ids) {
      const e = entities[id];
      const chip = el('span', 'chip', e.label);
      chip.dataset.p16 = String(this.index.toUtf16(end));
      chip.dataset.entity = String(id);
      chip.style.borderColor = this.color(e.label);
      chip.title = `${e.label}: “${this.slice(e.start, e.end)}”. Click to remove.`;
      frag.append(chip);
    }
  }

  triggerChip(t, event, end, current) {
    const chip = el('span', current ? 'chip trig-chip current' : 'chip trig-chip', `⚑ ${event.type}`);
    chip.dataset.p16 = String(this.index.toUtf16(end));
    chip.dataset.event = String(t.i);
    chip.title = `Trigger of event ${t.i + 1} (${event.type}). Click to make it the current event.`;
    return chip;
  }

  renderList(entities, cursor) {
    this.countEl.textContent = `(${entities.length})`;
    const frag = document.createDocumentFragment();
    entities.forEach((e, i) => {
      const li = el('li', 'ws-item');
      if (cursor && cursor.start === e.start && cursor.end === e.end) li.classList.add('selected');
      const pick = el('button', 'link ws-pick');
      pick.type = 'button';
      const sw = el('span', 'swatch');
      sw.style.backgroundColor = this.color(e.label);
      sw.setAttribute('aria-hidden', 'true');
      // Isolated runs: an Arabic or Hebrew span must not pull the offsets into its direction.
      pick.append(sw, el('strong', '', e.label), ' “', el('bdi', '', this.slice(e.start, e.end)), '” ',
        el('bdi', 'muted', `${e.start}–${e.end}`));
      pick.addEventListener('click', () => this.onSelectEntity(i));
      const rm = el('button', 'ws-remove', '×');
      rm.type = 'button';
      rm.setAttribute('aria-label', `Remove ${e.label} “${this.slice(e.start, e.end)}”`);
      rm.addEventListener('click', () => this.onRemoveEntity(i));
      li.append(pick, rm);
      frag.append(li);
    });
    this.listEl.replaceChildren(frag);
  }

  /**
   * UTF-16 position in the sentence of a DOM boundary point inside textEl, or null.
   * @param {Node} node
   * @param {number} offset
   * @returns {number | null}
   */
  position16(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (parent?.classList.contains('seg')) return Number(parent.dataset.s16) + offset;
      const chip = parent?.closest('.chip');
      return chip ? Number(chip.dataset.p16) : null;
    }
    if (node === this.textEl) {
      const child = /** @type {HTMLElement | undefined} */ (node.childNodes[offset]);
      if (!child) return this.text.length;
      return child.classList.contains('seg') ? Number(child.dataset.s16) : Number(child.dataset.p16);
    }
    const elem = /** @type {HTMLElement} */ (node);
    if (elem.classList?.contains('seg')) return offset === 0 ? Number(elem.dataset.s16) : Number(elem.dataset.e16);
    if (elem.classList?.contains('chip')) return Number(elem.dataset.p16);
    return null;
  }

  /**
   * UTF-16 sentence position under a viewport point, or null (caret APIs, not the
   * native Selection: a drag is tracked by us, so it behaves the same in every engine).
   * @param {number} x
   * @param {number} y
   * @returns {number | null}
   */
  positionAt(x, y) {
    let node = null;
    let offset = 0;
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      if (p) { node = p.offsetNode; offset = p.offset; }
    } else if (document.caretRangeFromPoint) {
      const r = document.caretRangeFromPoint(x, y);
      if (r) { node = r.startContainer; offset = r.startOffset; }
    }
    if (!node || !this.textEl.contains(node)) return null;
    return this.position16(node, offset);
  }

  /** Select the tokens touched by the UTF-16 range [a, b) (either order). */
  selectRange16(a, b) {
    const cp = this.index.rangeToCodePoints(a, b);
    const snapped = cp.start === cp.end
      ? (() => {
        // A click lands between characters: take the token under it, or the one before.
        let t = tokenAt(this.tokens, cp.start);
        if (t === -1) t = tokenAt(this.tokens, Math.max(0, cp.start - 1));
        return t === -1 ? null : { first: t, last: t };
      })()
      : snapToTokens(this.tokens, cp.start, cp.end);
    if (snapped) this.onSelectTokens(snapped.first, snapped.last);
  }

  /** @param {MouseEvent} ev */
  onMouseDown(ev) {
    if (ev.button !== 0) return;
    const target = /** @type {HTMLElement} */ (ev.target);
    if (target.closest?.('.chip')) return; // chips are buttons: handled on click
    const at = this.positionAt(ev.clientX, ev.clientY);
    if (at === null) return;
    ev.preventDefault(); // no native selection: the token cursor is the selection
    if (this.pointerType === 'touch') {
      // A finger cannot drag over text without scrolling: taps pick tokens one by one.
      const cp = this.index.rangeToCodePoints(at, at).start;
      let t = tokenAt(this.tokens, cp);
      if (t === -1) t = tokenAt(this.tokens, Math.max(0, cp - 1));
      if (t !== -1) this.onTapToken?.(t);
      return;
    }
    this.drag = { from: at, to: at };
    this.selectRange16(at, at);
    const move = (/** @type {MouseEvent} */ e) => {
      const to = this.positionAt(e.clientX, e.clientY);
      if (to === null || !this.drag || to === this.drag.to) return;
      this.drag.to = to;
      if (to !== this.drag.from) this.selectRange16(this.drag.from, to);
    };
    const up = (/** @type {MouseEvent} */ e) => {
      move(e);
      const dragged = this.drag !== null && this.drag.to !== this.drag.from;
      this.drag = null;
      if (dragged) this.onDragEnd?.();
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
    };
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
  }

  /** @param {MouseEvent} ev */
  onClick(ev) {
    const target = /** @type {HTMLElement} */ (ev.target);
    const chip = target.closest?.('.chip');
    if (chip?.dataset.entity !== undefined) this.onRemoveEntity(Number(chip.dataset.entity));
    else if (chip?.dataset.event !== undefined) this.onSelectEvent(Number(chip.dataset.event));
  }
}
