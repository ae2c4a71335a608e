/**
 * The annotator workspace: loads a sentence, keeps the annotation (with undo/redo),
 * routes keys to actions, autosaves drafts and handles version conflicts.
 * Components draw; this module owns the state.
 *
 * @module main
 */

import { api } from './api.js';
import { SpanEditor, el } from './span-editor.js';
import { StancePicker } from './stance-picker.js';
import { EventEditor } from './event-editor.js';
import { workspaceKeymap, renderSheet } from './shortcuts.js';
import { LabelMenu, LabelSheet, labelButton } from './label-picker.js';
import { keyFromEvent } from '../lib/keymap.js';
import { createHistory } from '../lib/undo.js';
import { overlaps } from '../lib/spans.js';
import {
  cursorInit, cursorMove, cursorExtend, cursorHome, cursorEnd, cursorSpan, cursorFromSpan, wholeGraphemeTokens,
} from '../lib/tokens.js';
import {
  emptyAnnotation, addEntity, removeEntity, relabelEntity, setStance, addEvent, removeEvent,
  addArgument, removeArgument, serialize,
} from '../lib/annotation.js';

const AUTOSAVE_MS = 1200;
const MAX_SECONDS = 24 * 3600;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const root = $('workspace');
const projectId = root.dataset.projectId;
const schema = JSON.parse($('schema-data').textContent || '{}');
const keymap = workspaceKeymap(schema);
const sentenceEl = $('ws-sentence');

const s = {
  /** @type {any} */ sentence: null,
  history: createHistory(emptyAnnotation(schema)),
  /** @type {any} */ cursor: cursorInit(0),
  currentEvent: -1,
  version: 0,
  loadedStatus: 'draft',
  savedKey: '',
  /** @type {Promise<boolean> | null} */ saving: null,
  /** @type {ReturnType<typeof setTimeout> | null} */ timer: null,
  baseSeconds: 0,
  shownAt: 0,
  skipReason: '',
  note: '',
  /** @type {{current: any, status: string, extra: object} | null} */ conflict: null,
  done: false,
  /** My assigned sentences around this one: {previous, next} ids or null. */
  queue: { previous: null, next: null },
  /** The last sentence shown, to go back to from "All done". */
  lastId: null,
  /** Direction armed by a first press when leaving would drop changes. */
  leaving: '',
  /** Sentence id armed by a first Enter on an untouched sentence with stance unset. */
  confirmEmpty: null,
};

const ann = () => s.history.present;
/** Label content and the note: what autosave compares. */
const contentKey = (a) => serialize({ entities: a.entities, stance: a.stance, events: a.events, unsure: Boolean(a.unsure), note: s.note });
const span = () => (s.sentence ? cursorSpan(s.sentence.tokens, s.cursor) : null);

function message(text, kind = '') {
  const m = $('ws-message');
  m.textContent = text;
  m.className = `ws-message ${kind}`;
}

const editor = new SpanEditor({
  textEl: $('ws-text'), listEl: $('ws-entities'), countEl: $('ws-entity-count'), selectionEl: $('ws-selection'), schema,
  onSelectTokens(first, last) {
    s.cursor = { anchor: first, focus: last, count: s.sentence.tokens.length };
    sentenceEl.focus({ preventScroll: true });
    render();
  },
  onRemoveEntity(i) {
    const e = ann().entities[i];
    change(removeEntity(ann(), i));
    if (e) message(`Removed ${e.label} “${editor.slice(e.start, e.end)}”.`);
  },
  onSelectEntity(i) {
    const e = ann().entities[i];
    const c = e && cursorFromSpan(s.sentence.tokens, e.start, e.end);
    if (c) s.cursor = c;
    sentenceEl.focus();
    render();
  },
  onSelectEvent: selectEvent,
  onDragEnd() {
    const last = [...$('ws-text').querySelectorAll('.seg.cur')].pop();
    if (last && s.sentence) menu.open(last.getBoundingClientRect());
  },
  onTapToken(t) {
    // First tap picks a token; a tap on another one while the sheet is open stretches the
    // selection from the first; a tap inside a longer selection starts again there.
    const c = s.cursor;
    const lo = Math.min(c.anchor, c.focus);
    const hi = Math.max(c.anchor, c.focus);
    const extend = !$('ws-sheet').hidden && (t < lo || t > hi);
    s.cursor = { anchor: extend ? c.anchor : t, focus: t, count: s.sentence.tokens.length };
    render();
    const sel = span();
    if (sel) sheet.open(editor.slice(sel.start, sel.end), [...$('ws-text').querySelectorAll('.seg.cur')].pop());
  },
});

const entityTypes = schema.entity_types ?? [];
const menu = new LabelMenu({
  container: /** @type {HTMLElement} */ (document.querySelector('.ws-main')), types: entityTypes,
  color: (label) => editor.color(label),
  onApply(label) { labelSelection(label); sentenceEl.focus(); },
  onClose() { sentenceEl.focus(); },
});
const sheet = new LabelSheet({
  root: $('ws-sheet'), title: $('ws-sheet-title'), list: $('ws-sheet-list'), types: entityTypes,
  color: (label) => editor.color(label),
  onApply(label) { labelSelection(label); sheet.close(); },
  onClose() {},
});

const stance = new StancePicker({
  root: $('ws-stance'), schema,
  onPick(target, label) { pickStance(target, label); },
});

const events = new EventEditor({
  schema, framesEl: $('ws-frames'),
  typeInput: /** @type {HTMLInputElement} */ ($('ws-event-type')), typeList: $('ws-event-type-list'),
  roleInput: /** @type {HTMLInputElement} */ ($('ws-role')), roleList: $('ws-role-list'),
  slice: (a, b) => editor.slice(a, b),
  onType(type) {
    const trigger = span();
    if (!trigger) { message('Select the trigger first.', 'error'); return; }
    change(addEvent(ann(), type, trigger));
    s.currentEvent = ann().events.length - 1;
    message(`Added event ${type} with trigger “${editor.slice(trigger.start, trigger.end)}”. Select an argument and press Shift+E.`);
    render();
    sentenceEl.focus();
  },
  onRole(role) {
    const arg = span();
    if (!arg || s.currentEvent < 0) return;
    change(addArgument(ann(), s.currentEvent, role, arg));
    message(`Added ${role} “${editor.slice(arg.start, arg.end)}” to ${ann().events[s.currentEvent].type}.`);
    sentenceEl.focus();
  },
  onSelectEvent: selectEvent,
  onRemoveEvent(i) {
    change(removeEvent(ann(), i));
    s.currentEvent = Math.min(s.currentEvent, ann().events.length - 1);
    render();
  },
  onRemoveArgument(i, j) { change(removeArgument(ann(), i, j)); },
  onCancel() { sentenceEl.focus(); },
});

function selectEvent(i) {
  s.currentEvent = i;
  render();
}

// ---- state changes --------------------------------------------------------------

/**
 * Record a new annotation state (undoable) and schedule an autosave.
 * @param {object} next
 * @param {{coalesce?: string}} [options]
 */
function change(next, options) {
  if (s.history.push(next, options)) {
    render();
    scheduleSave();
  }
}

function labelSelection(label) {
  const sel = span();
  if (!sel) return;
  const a = ann();
  const text = editor.slice(sel.start, sel.end);
  const same = a.entities.findIndex((e) => e.start === sel.start && e.end === sel.end);
  if (same !== -1) {
    if (a.entities[same].label === label) { message(`“${text}” is already ${label}.`); return; }
    change(relabelEntity(a, same, label));
    message(`Changed “${text}” to ${label}.`);
    return;
  }
  if (!schema.allow_overlapping_entities) {
    const clash = a.entities.find((e) => overlaps(e, sel));
    if (clash) {
      message(`“${text}” overlaps ${clash.label} “${editor.slice(clash.start, clash.end)}”; this project does not allow overlapping entities (Delete removes the selected one).`, 'error');
      return;
    }
  }
  change(addEntity(a, { ...sel, label }));
  message(`Added ${label} “${text}”.`);
}

function removeAtSelection() {
  const sel = span();
  if (!sel) return;
  const a = ann();
  let keep = a.entities.filter((e) => !(e.start === sel.start && e.end === sel.end));
  if (keep.length === a.entities.length) keep = a.entities.filter((e) => !(e.start >= sel.start && e.end <= sel.end));
  if (keep.length === a.entities.length) { message('No entity in the selection to remove.'); return; }
  change({ ...a, entities: keep });
  message(`Removed ${a.entities.length - keep.length} entit${a.entities.length - keep.length === 1 ? 'y' : 'ies'}.`);
}

function pickStance(target, label) {
  const a = ann();
  const current = a.stance.find((x) => x.target === target)?.label;
  change(setStance(a, target, current === label ? null : label), { coalesce: `stance:${target}` });
  message(current === label ? `Stance on “${target}” cleared.` : `Stance on “${target}”: ${label}.`);
}

function setUnsure(value) {
  change({ ...ann(), unsure: value });
}

// ---- saving -----------------------------------------------------------------------

function seconds() {
  const spent = s.baseSeconds + (performance.now() - s.shownAt) / 1000;
  return Math.min(MAX_SECONDS, Math.round(spent * 10) / 10);
}

/** Autosave only drafts: a submitted or skipped sentence changes only on Enter. */
function scheduleSave() {
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  updateSaveState();
  if (s.conflict || s.loadedStatus !== 'draft' || contentKey(ann()) === s.savedKey) return;
  s.timer = setTimeout(() => { s.timer = null; save('draft'); }, AUTOSAVE_MS);
}

/**
 * PUT the annotation. Saves never overlap: a save waits for the one in flight, so the
 * version it sends is the one the server last returned.
 * @param {'draft'|'submitted'|'skipped'} status
 * @param {{skip_reason?: string}} [extra]
 * @returns {Promise<boolean>} true when saved
 */
async function save(status, extra = {}) {
  if (s.timer) { clearTimeout(s.timer); s.timer = null; }
  while (s.saving) await s.saving;
  if (!s.sentence || s.conflict) return false;
  if (status === 'draft' && contentKey(ann()) === s.savedKey) return true;
  const sentenceId = s.sentence.id;
  const a = ann();
  const body = {
    entities: a.entities, stance: a.stance, events: a.events, status, version: s.version,
    unsure: Boolean(a.unsure), seconds: seconds(), skip_reason: extra.skip_reason ?? s.skipReason, note: s.note,
  };
  const key = contentKey(a);
  const job = (async () => {
    updateSaveState('saving');
    try {
      const { data } = await api.save(sentenceId, body);
      if (s.sentence?.id !== sentenceId) return true;
      s.version = data.version;
      s.savedKey = key;
      s.loadedStatus = data.status ?? status;
      updateSaveState();
      return true;
    } catch (err) {
      // A 409 on `status` is not a version conflict: the sentence filled up while this
      // annotator's assignment had expired; the draft stays, there is nothing to merge.
      if (err.isConflict && err.field !== 'status') {
        showConflict(err.body.current, status, extra);
      } else {
        const details = err.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
        message(`Not saved: ${details || err.message}`, 'error');
      }
      updateSaveState('failed');
      return false;
    }
  })();
  s.saving = job;
  try {
    return await job;
  } finally {
    s.saving = null;
  }
}

function updateSaveState(mode) {
  const out = $('ws-save-state');
  const dirty = s.sentence && contentKey(ann()) !== s.savedKey;
  if (mode === 'saving') out.textContent = 'Saving…';
  else if (mode === 'failed') out.textContent = 'Not saved.';
  else if (!s.sentence) out.textContent = '';
  else if (dirty && s.loadedStatus !== 'draft') out.textContent = `Changed since ${s.loadedStatus}: press Enter to submit again.`;
  else if (dirty) out.textContent = 'Unsaved changes (autosave shortly; Ctrl+S saves now).';
  else out.textContent = s.version ? `Saved (version ${s.version}, ${s.loadedStatus}).` : 'Nothing to save yet.';
}

function showConflict(current, status, extra) {
  s.conflict = { current, status, extra };
  const n = current?.version ?? '?';
  $('ws-conflict-text').textContent =
    `This sentence was saved somewhere else in the meantime (another tab or window): the stored version is ${n}` +
    `${current ? ` (${current.status}, ${current.entities?.length ?? 0} entit${(current.entities?.length ?? 0) === 1 ? 'y' : 'ies'})` : ''}, and yours was based on version ${s.version}. ` +
    'Keep yours and save it over the stored one, or discard your changes here and reload the saved version.';
  $('ws-conflict').hidden = false;
  // The banner itself takes focus, not a button: Enter or Space out of habit must never
  // pick for the annotator (Reload drops their change; Keep mine overwrites the other save).
  $('ws-conflict').focus();
}

function resolveConflict(keepMine) {
  const c = s.conflict;
  if (!c) return;
  s.conflict = null;
  $('ws-conflict').hidden = true;
  if (keepMine) {
    s.version = c.current?.version ?? s.version;
    message('Saving your version over the stored one…');
    save(c.status, c.extra).then((ok) => {
      if (ok) message(`Your version is saved (version ${s.version}).`);
      if (ok && c.status !== 'draft') next();
    });
  } else if (c.current) {
    applyAnnotation(c.current);
    message(`Reloaded the stored version ${s.version}.`);
    render();
  }
  sentenceEl.focus();
}

// ---- loading ------------------------------------------------------------------------

function applyAnnotation(stored) {
  const a = emptyAnnotation(schema);
  if (stored) {
    Object.assign(a, { entities: stored.entities ?? [], stance: stored.stance ?? [], events: stored.events ?? [], unsure: Boolean(stored.unsure) });
  } else {
    a.unsure = false;
  }
  s.history.reset(a);
  s.version = stored?.version ?? 0;
  s.loadedStatus = stored?.status ?? 'draft';
  s.note = stored?.note ?? '';
  /** @type {HTMLTextAreaElement} */ ($('ws-note')).value = s.note;
  s.savedKey = contentKey(a);
  s.baseSeconds = stored?.seconds ?? 0;
  s.skipReason = stored?.skip_reason ?? '';
  s.currentEvent = a.events.length - 1;
}

/** @param {{sentence: any, annotation: any, progress: any}} data */
function show(data) {
  const sen = data.sentence;
  sen.tokens = wholeGraphemeTokens(sen.text, sen.tokens);
  s.sentence = sen;
  s.lastId = sen.id;
  s.queue = data.queue ?? { previous: null, next: null };
  s.leaving = '';
  s.confirmEmpty = null;
  /** @type {HTMLButtonElement} */ ($('ws-previous')).disabled = !s.queue.previous;
  /** @type {HTMLButtonElement} */ ($('ws-next')).disabled = false;
  s.conflict = null;
  $('ws-conflict').hidden = true;
  menu.close(false);
  sheet.close();
  editor.load(sen);
  applyAnnotation(data.annotation);
  s.cursor = cursorInit(sen.tokens.length, 0);
  s.shownAt = performance.now();
  $('ws-title').textContent = sen.document?.title || 'Untitled article';
  const where = [`Sentence ${sen.index + 1} of ${sen.document_sentences ?? '?'}`];
  if (sen.document?.source) where.push(sen.document.source);
  if (sen.document?.published) where.push(sen.document.published);
  $('ws-where').textContent = where.join(' · ');
  context($('ws-before'), sen.context?.before ?? []);
  context($('ws-after'), sen.context?.after ?? []);
  progress(data.progress);
  const url = new URL(window.location.href);
  url.searchParams.set('sentence', String(sen.id));
  window.history.replaceState(null, '', url);
  root.classList.remove('ws-finished');
  root.dataset.sentenceId = String(sen.id);
  render();
  sentenceEl.focus();
}

function context(box, items) {
  box.replaceChildren(...items.map((c) => {
    const p = el('p', 'ws-ctx', c.text);
    p.dir = 'auto';
    return p;
  }));
}

function progress(p) {
  const out = $('ws-progress');
  if (!p) { out.textContent = ''; return; }
  const bar = el('progress');
  // Out of everything this annotator can still get: what they finished, hold and may take.
  bar.max = Math.max(1, (p.done ?? 0) + (p.assigned ?? 0) + (p.remaining ?? 0));
  bar.value = p.done ?? 0;
  bar.setAttribute('aria-hidden', 'true');
  out.replaceChildren(bar, ` ${p.done} done · ${p.assigned} assigned · ${p.remaining} remaining`);
}

function finished() {
  s.sentence = null;
  menu.close(false);
  sheet.close();
  s.queue = { previous: s.lastId, next: null };
  /** @type {HTMLButtonElement} */ ($('ws-previous')).disabled = !s.lastId;
  /** @type {HTMLButtonElement} */ ($('ws-next')).disabled = true;
  root.classList.add('ws-finished');
  /** @type {HTMLButtonElement} */ ($('ws-undo')).disabled = true;
  /** @type {HTMLButtonElement} */ ($('ws-redo')).disabled = true;
  $('ws-save-state').textContent = '';
  $('ws-title').textContent = 'All done';
  $('ws-where').textContent = '';
  const back = /** @type {HTMLAnchorElement} */ (el('a', '', 'Back to the project'));
  back.href = root.dataset.projectUrl ?? '/';
  const home = /** @type {HTMLAnchorElement} */ (el('a', '', 'All my projects'));
  home.href = root.dataset.homeUrl ?? '/';
  $('ws-text').replaceChildren(
    el('span', 'muted', 'Nothing is left for you to annotate in this project. Thank you! '), back, ' · ', home,
  );
  // The counts of the last sentence are stale now: ask for the current ones.
  api.progress(projectId).then(({ data }) => { if (!s.sentence) progress(data); }).catch(() => progress(null));
  for (const id of ['ws-before', 'ws-after', 'ws-frames', 'ws-entities', 'ws-stance']) $(id).replaceChildren();
  const url = new URL(window.location.href);
  url.searchParams.delete('sentence');
  window.history.replaceState(null, '', url);
  message('All done.');
}

async function load(request) {
  try {
    const { status, data } = await request;
    if (status === 204 || !data?.sentence) finished();
    else show(data);
  } catch (err) {
    message(`Could not load the sentence: ${err.message}`, 'error');
  }
}

function next() {
  return load(api.next(projectId));
}

/**
 * Go back and forth through my own assigned sentences (document order). A draft's
 * changes are saved first; changes to a submitted or skipped sentence are only kept by
 * submitting again, so leaving them takes a second press.
 * @param {'previous'|'next'} direction
 */
async function go(direction) {
  const target = s.queue[direction];
  if (s.sentence) sentenceEl.focus(); // after a button click, keys go to the sentence again
  if (!target && direction === 'previous') { message('This is your first sentence.'); return; }
  if (s.sentence && contentKey(ann()) !== s.savedKey) {
    if (s.loadedStatus === 'draft') {
      if (!(await save('draft'))) return;
    } else if (s.leaving !== direction) {
      s.leaving = direction;
      message(`This sentence was ${s.loadedStatus} and you changed it: Enter submits the change, or press ${direction === 'previous' ? 'Page Up' : 'Page Down'} again to leave it as it was.`, 'error');
      return;
    }
  }
  s.leaving = '';
  if (target) { message(''); await load(api.sentence(target)); }
  else if (s.sentence && s.loadedStatus === 'draft') message('This is your last sentence so far: submit it (Enter) or skip it (s), and new work follows.');
  else await next();
}

async function submit() {
  if (!s.sentence) return;
  const a = ann();
  const chosen = new Set(a.stance.map((x) => x.target));
  const unset = (schema.stance?.targets ?? []).filter((t) => !chosen.has(t));
  const untouched = !a.entities.length && !a.events.length && !a.stance.length;
  if (schema.stance?.required === true && unset.length) {
    // The schema requires a stance for every target: the server would refuse it too (400 "stance").
    message(`Stance on ${unset.map((t) => `“${t}”`).join(', ')} is required before submitting: pick a stance label (digits).`, 'error');
    return;
  }
  if (untouched && unset.length && s.confirmEmpty !== s.sentence.id) {
    // The guidelines say fields must not be empty: one Enter out of habit must not send a blank.
    s.confirmEmpty = s.sentence.id;
    message(`Stance on ${unset.map((t) => `“${t}”`).join(', ')} is not set and nothing is labelled: press Enter (or Submit) again to submit it as it is.`, 'error');
    return;
  }
  message('Submitting…');
  if (await save('submitted')) {
    message('Submitted.');
    await next();
  }
}

function openSkip() {
  if (!s.sentence) return;
  const dialog = /** @type {HTMLDialogElement} */ ($('ws-skip-dialog'));
  /** @type {HTMLInputElement} */ ($('ws-skip-reason')).value = s.skipReason;
  dialog.showModal();
  $('ws-skip-reason').focus();
}

async function doSkip(reason) {
  s.skipReason = reason;
  if (await save('skipped', { skip_reason: reason })) {
    message('Skipped.');
    await next();
  }
}

// ---- drawing -------------------------------------------------------------------

function render() {
  if (!s.sentence) return;
  const a = ann();
  if (s.currentEvent >= a.events.length) s.currentEvent = a.events.length - 1;
  editor.render(a, span(), s.currentEvent);
  stance.render(a);
  events.render(a, s.currentEvent);
  /** @type {HTMLInputElement} */ ($('ws-unsure')).checked = Boolean(a.unsure);
  /** @type {HTMLButtonElement} */ ($('ws-undo')).disabled = !s.history.canUndo;
  /** @type {HTMLButtonElement} */ ($('ws-redo')).disabled = !s.history.canRedo;
  updateSaveState();
}

function toggleGuidelines(force) {
  const panel = $('ws-guidelines');
  const show = force ?? panel.hidden;
  // Below its toggle, so the button that opened it can close it again.
  if (show) panel.style.top = `${Math.round($('ws-guidelines-toggle').getBoundingClientRect().bottom + 8)}px`;
  panel.hidden = !show;
  $('ws-guidelines-toggle').setAttribute('aria-expanded', String(show));
  if (show) panel.focus();
  else sentenceEl.focus();
}

function toggleHelp() {
  const dialog = /** @type {HTMLDialogElement} */ ($('ws-help'));
  if (dialog.open) dialog.close();
  else dialog.showModal();
}

// ---- keys ------------------------------------------------------------------------

/** @param {{action: string, arg?: any}} b */
function run(b) {
  if (!s.sentence && !['help', 'guidelines', 'cancel', 'go-previous'].includes(b.action)) return;
  const c = s.cursor;
  switch (b.action) {
    case 'cursor-prev': s.cursor = cursorMove(c, -1); break;
    case 'cursor-next': s.cursor = cursorMove(c, 1); break;
    case 'extend-prev': s.cursor = cursorExtend(c, -1); break;
    case 'extend-next': s.cursor = cursorExtend(c, 1); break;
    case 'cursor-home': s.cursor = cursorHome(c); break;
    case 'cursor-end': s.cursor = cursorEnd(c); break;
    case 'extend-home': s.cursor = cursorHome(c, true); break;
    case 'extend-end': s.cursor = cursorEnd(c, true); break;
    case 'entity': labelSelection(String(b.arg)); return;
    case 'remove': removeAtSelection(); return;
    case 'stance': if (stance.target !== undefined) pickStance(stance.target, String(b.arg)); return;
    case 'stance-prev': stance.move(-1); break;
    case 'stance-next': stance.move(1); break;
    case 'undo': s.history.undo(); render(); scheduleSave(); return;
    case 'redo': s.history.redo(); render(); scheduleSave(); return;
    case 'submit': submit(); return;
    case 'skip': openSkip(); return;
    case 'unsure': setUnsure(!ann().unsure); return;
    case 'event-mode':
      if (!(schema.event_types ?? []).length) { message('This project has no event types.'); return; }
      message(`Type the event type for the trigger “${editor.slice(span().start, span().end)}”; ↑/↓ choose, Enter adds, Esc cancels.`);
      events.openType();
      return;
    case 'argument':
      if (s.currentEvent < 0) { message('Add an event first (select its trigger, press e).', 'error'); return; }
      message(`Role of “${editor.slice(span().start, span().end)}” in ${ann().events[s.currentEvent].type}; Enter adds, Esc cancels.`);
      events.openRole();
      return;
    case 'save': save('draft').then((ok) => ok && message('Draft saved.')); return;
    case 'go-previous': go('previous'); return;
    case 'go-next': go('next'); return;
    case 'guidelines': toggleGuidelines(); return;
    case 'help': toggleHelp(); return;
    case 'cancel':
      if (!$('ws-guidelines').hidden) { toggleGuidelines(false); return; }
      s.cursor = cursorMove({ ...c, anchor: c.focus }, 0);
      break;
    default: return;
  }
  render();
}

document.addEventListener('keydown', (ev) => {
  if (ev.defaultPrevented || ev.isComposing) return;
  const target = /** @type {HTMLElement} */ (ev.target);
  // Text fields and open dialogs handle their own keys.
  if (target.closest?.('input, textarea, select, [contenteditable], dialog')) return;
  const key = keyFromEvent(ev);
  const b = key === null ? null : keymap.bindings.get(key);
  if (!b || b.action === 'focus-next' || b.action === 'focus-prev') return;
  if ((key === 'enter' || key === 'space') && target.closest?.('button, a, summary, label')) return;
  if (s.conflict && b.action !== 'help') return; // decide the conflict first
  ev.preventDefault();
  run(b);
});

// ---- buttons -----------------------------------------------------------------------

$('ws-undo').addEventListener('click', () => run({ action: 'undo' }));
$('ws-redo').addEventListener('click', () => run({ action: 'redo' }));
$('ws-submit').addEventListener('click', () => submit());
$('ws-previous').addEventListener('click', () => go('previous'));
$('ws-next').addEventListener('click', () => go('next'));
$('ws-skip').addEventListener('click', () => openSkip());
$('ws-unsure').addEventListener('change', (ev) => setUnsure(/** @type {HTMLInputElement} */ (ev.target).checked));
$('ws-guidelines-toggle').addEventListener('click', () => toggleGuidelines());
$('ws-guidelines-close').addEventListener('click', () => toggleGuidelines(false));
$('ws-note').addEventListener('input', (ev) => {
  s.note = /** @type {HTMLTextAreaElement} */ (ev.target).value;
  scheduleSave();
});
$('ws-help-open').addEventListener('click', () => toggleHelp());
$('ws-conflict-reload').addEventListener('click', () => resolveConflict(false));
$('ws-conflict-keep').addEventListener('click', () => resolveConflict(true));
$('ws-skip-cancel').addEventListener('click', () => /** @type {HTMLDialogElement} */ ($('ws-skip-dialog')).close());
$('ws-skip-form').addEventListener('submit', (ev) => {
  const reason = /** @type {HTMLInputElement} */ ($('ws-skip-reason')).value.trim();
  if (!reason) { ev.preventDefault(); return; }
  doSkip(reason);
});
for (const id of ['ws-help', 'ws-skip-dialog']) $(id).addEventListener('close', () => sentenceEl.focus());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden' && s.timer) save('draft');
});
window.addEventListener('beforeunload', (ev) => {
  if (s.sentence && s.loadedStatus === 'draft' && contentKey(ann()) !== s.savedKey) ev.preventDefault();
});

renderSheet($('ws-help-rows'), keymap);
{
  // The legend is a row of buttons: each applies its label to the selection.
  const legend = $('ws-legend');
  for (const t of entityTypes) {
    const li = el('li');
    const b = labelButton(t, editor.color(t.name), 'ws-label');
    b.title = `Apply ${t.name} to the selection${t.description ? `: ${t.description}` : ''}`;
    b.addEventListener('click', () => {
      if (!s.sentence) return;
      labelSelection(t.name);
      sentenceEl.focus({ preventScroll: true });
    });
    li.append(b);
    legend.append(li);
  }
}
$('ws-sheet-close').addEventListener('click', () => sheet.close());

const start = root.dataset.sentenceId;
load(start ? api.sentence(start) : api.next(projectId));
