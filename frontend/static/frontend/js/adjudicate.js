/**
 * Adjudication (leads only): every annotator's version side by side, differences marked,
 * and a gold draft the lead builds from the keyboard, then saves with provenance.
 *
 * On the queue page it only runs the "Run aggregation" form (POST .../aggregate/, polls the job).
 * Text from users is always inserted as text (textContent / text nodes), never as HTML.
 *
 * @module adjudicate
 */

import { ApiError, request } from './lib/http.js';
import { keyFromEvent, normalizeKeySpec, formatKey } from './lib/keymap.js';
import { cursorInit, cursorMove, cursorExtend, cursorHome, cursorEnd, cursorSpan } from './lib/tokens.js';

// --- small helpers ------------------------------------------------------------------------

/** {status, data} for every answer, errors included: the callers branch on status. */
async function api(method, url, body) {
  try {
    return await request(method, url, body);
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, data: err.body };
    throw err;
  }
}

/** Element with text content only. */
function el(tag, { cls, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, String(v));
  for (const child of children) if (child) node.append(child);
  return node;
}

const clone = (value) => JSON.parse(JSON.stringify(value));
const entityKey = (e) => `${e.start}:${e.end}:${e.label}`;
const eventKey = (ev) => `${ev.type}@${ev.trigger.start}:${ev.trigger.end}`;
const argKey = (ev, a) => `${eventKey(ev)}/${a.role}:${a.start}:${a.end}`;

// --- queue page: start aggregation ----------------------------------------------------------

function initQueuePage(form) {
  const projectId = document.getElementById('adj-aggregate').dataset.projectId;
  const status = document.getElementById('adj-job');
  const bar = document.getElementById('adj-progress');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { method: form.method.value, threshold: Number(form.threshold.value) };
    const started = await api('POST', `/api/projects/${projectId}/aggregate/`, body);
    if (started.status !== 202) {
      status.textContent = started.data?.detail ?? `could not start (HTTP ${started.status})`;
      return;
    }
    bar.hidden = false;
    const poll = async () => {
      const job = (await api('GET', `/api/jobs/${started.data.job}/`)).data;
      bar.value = job.progress;
      status.textContent = `${job.state}: ${job.message}${job.error ? ` — ${job.error}` : ''}`;
      if (job.state === 'done') window.location.reload();
      else if (job.state !== 'failed') setTimeout(poll, 800);
    };
    poll();
  });
}

// --- sentence page --------------------------------------------------------------------------

const root = document.getElementById('adj');
const queueForm = document.getElementById('adj-aggregate-form');
if (queueForm) initQueuePage(queueForm);
if (root) initSentencePage();

function initSentencePage() {
  const schema = JSON.parse(document.getElementById('schema-data').textContent);
  const sentenceId = Number(root.dataset.sentenceId);
  const slug = root.dataset.projectSlug;
  const $ = (id) => document.getElementById(id);
  const targets = schema?.stance?.targets ?? [];
  const stanceLabels = schema?.stance?.labels ?? [];
  const allowOverlap = schema?.allow_overlapping_entities === true;

  /** Keyboard: our actions first; the schema's entity hotkeys for whatever is left. */
  const ACTIONS = [
    ['1 … 9', 'Accept annotator 1…9’s version as the gold draft'],
    ['0', 'Take the aggregated candidate as the gold draft'],
    ['↑ / ↓', 'Choose a span, stance or event in the merge list'],
    ['Space', 'Toggle the chosen item into / out of gold (stance: next label)'],
    ['← / →', 'Move the token cursor in the gold sentence'],
    ['Shift+← / Shift+→', 'Extend the token selection'],
    ['Home / End', 'First / last token'],
    ['Delete', 'Remove gold entities in the selection (or the chosen gold item)'],
    ['Enter', 'Save gold and go to the next sentence'],
    ['PageDown / PageUp', 'Next / previous sentence in the queue (without saving)'],
    ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo'],
    ['?', 'This sheet'],
  ];
  const entityKeys = new Map();
  for (const type of schema?.entity_types ?? []) {
    const k = type.hotkey ? normalizeKeySpec(type.hotkey) : null;
    if (k && !/^[0-9]$/.test(k) && !['space', 'enter', 'delete', 'backspace', '?'].includes(k)) entityKeys.set(k, type.name);
  }

  const state = {
    data: null,
    gold: { entities: [], stance: [], events: [] },
    ids: new Set(),
    version: 0,
    cursor: cursorInit(0),
    focus: 0,
    choices: [],
    undo: [],
    redo: [],
    dirty: false,
  };

  const say = (text, kind = 'info') => {
    const m = $('adj-message');
    m.textContent = text;
    m.dataset.kind = kind;
  };

  const cps = () => Array.from(state.data.sentence.text);
  const slice = (s, e) => cps().slice(s, e).join('');

  function snapshot() {
    state.undo.push(JSON.stringify({ gold: state.gold, ids: [...state.ids] }));
    if (state.undo.length > 200) state.undo.shift();
    state.redo = [];
    state.dirty = true;
  }

  function restore(from, to) {
    const raw = from.pop();
    if (!raw) return;
    to.push(JSON.stringify({ gold: state.gold, ids: [...state.ids] }));
    const s = JSON.parse(raw);
    state.gold = s.gold;
    state.ids = new Set(s.ids);
    state.dirty = true;
    render();
  }

  // --- choices: the union of every version's items -------------------------------------------

  function buildChoices() {
    const anns = state.data.annotations;
    const choices = targets.map((target) => ({ kind: 'stance', target, key: `stance:${target}` }));
    const byKey = new Map();
    const add = (key, make, who) => {
      if (!byKey.has(key)) { byKey.set(key, { ...make(), key, who: [] }); choices.push(byKey.get(key)); }
      if (who !== undefined && !byKey.get(key).who.includes(who)) byKey.get(key).who.push(who);
    };
    const sources = [...anns.map((a, i) => [a.labels, i])];
    for (const [labels, i] of sources) {
      for (const e of labels.entities) add(entityKey(e), () => ({ kind: 'entity', entity: e }), i);
    }
    for (const e of state.gold.entities) add(entityKey(e), () => ({ kind: 'entity', entity: e }));
    for (const [labels, i] of sources) {
      for (const ev of labels.events) {
        add(eventKey(ev), () => ({ kind: 'event', event: { ...ev, arguments: [] } }), i);
        for (const a of ev.arguments) add(argKey(ev, a), () => ({ kind: 'argument', event: ev, arg: a }), i);
      }
    }
    const entities = choices.filter((c) => c.kind === 'entity').sort((a, b) => a.entity.start - b.entity.start || a.entity.end - b.entity.end);
    const rest = choices.filter((c) => c.kind !== 'entity');
    state.choices = [...rest.filter((c) => c.kind === 'stance'), ...entities, ...rest.filter((c) => c.kind !== 'stance')];
    state.focus = Math.min(state.focus, Math.max(0, state.choices.length - 1));
  }

  function inGold(choice) {
    const g = state.gold;
    if (choice.kind === 'entity') return g.entities.some((e) => entityKey(e) === choice.key);
    if (choice.kind === 'event') return g.events.some((ev) => eventKey(ev) === choice.key);
    if (choice.kind === 'argument') return g.events.some((ev) => ev.arguments.some((a) => argKey(ev, a) === choice.key));
    if (choice.kind === 'stance') return g.stance.some((s) => s.target === choice.target);
    return false;
  }

  function provenance(who) {
    for (const i of who ?? []) state.ids.add(state.data.annotations[i].id);
  }

  function addEntity(entity, who) {
    if (!allowOverlap) {
      const before = state.gold.entities.length;
      state.gold.entities = state.gold.entities.filter((e) => e.end <= entity.start || e.start >= entity.end);
      if (state.gold.entities.length < before) say('Replaced an overlapping gold entity (this schema does not allow overlaps).');
    }
    state.gold.entities.push({ start: entity.start, end: entity.end, label: entity.label });
    state.gold.entities.sort((a, b) => a.start - b.start || a.end - b.end);
    provenance(who);
  }

  function toggle(choice) {
    snapshot();
    const g = state.gold;
    if (choice.kind === 'stance') {
      const current = g.stance.find((s) => s.target === choice.target);
      const options = [...stanceLabels, null];
      const next = options[(options.indexOf(current ? current.label : null) + 1) % options.length];
      g.stance = g.stance.filter((s) => s.target !== choice.target);
      if (next !== null) g.stance.push({ target: choice.target, label: next });
      say(`Stance toward ${choice.target}: ${next ?? 'none given'}`);
    } else if (choice.kind === 'entity') {
      if (inGold(choice)) g.entities = g.entities.filter((e) => entityKey(e) !== choice.key);
      else addEntity(choice.entity, choice.who);
    } else if (choice.kind === 'event') {
      if (inGold(choice)) g.events = g.events.filter((ev) => eventKey(ev) !== choice.key);
      else { g.events.push(clone(choice.event)); provenance(choice.who); }
    } else if (choice.kind === 'argument') {
      const evKey = eventKey(choice.event);
      let ev = g.events.find((x) => eventKey(x) === evKey);
      if (inGold(choice)) {
        ev.arguments = ev.arguments.filter((a) => argKey(ev, a) !== choice.key);
      } else {
        if (!ev) { ev = { ...clone(choice.event), arguments: [] }; g.events.push(ev); }
        ev.arguments.push({ role: choice.arg.role, start: choice.arg.start, end: choice.arg.end });
        provenance(choice.who);
      }
    }
    render();
  }

  function accept(index) {
    const ann = state.data.annotations[index];
    if (!ann) { say(`There is no version ${index + 1}.`, 'error'); return; }
    snapshot();
    state.gold = clone(ann.labels);
    state.ids = new Set([ann.id]);
    say(`Gold draft: ${ann.annotator}’s version.`);
    render();
  }

  function takeCandidate() {
    const c = state.data.candidate;
    if (!c) { say('No aggregation candidate yet: run aggregation from the queue page.', 'error'); return; }
    snapshot();
    state.gold = clone(c.labels);
    state.ids = new Set(c.annotation_ids);
    say(`Gold draft: the ${c.method} candidate.`);
    render();
  }

  function addFromSelection(label) {
    const span = cursorSpan(state.data.sentence.tokens, state.cursor);
    if (!span) return;
    snapshot();
    addEntity({ start: span.start, end: span.end, label });
    say(`Added ${label}: “${slice(span.start, span.end)}”.`);
    render();
  }

  function removeSelection() {
    const choice = state.choices[state.focus];
    const span = cursorSpan(state.data.sentence.tokens, state.cursor);
    const hit = span ? state.gold.entities.filter((e) => e.start < span.end && span.start < e.end) : [];
    if (hit.length) {
      snapshot();
      state.gold.entities = state.gold.entities.filter((e) => !hit.includes(e));
      say(`Removed ${hit.length} gold entit${hit.length === 1 ? 'y' : 'ies'}.`);
      render();
    } else if (choice && choice.kind !== 'stance' && inGold(choice)) {
      toggle(choice);
    }
  }

  async function save() {
    say('Saving…');
    const body = { labels: state.gold, annotation_ids: [...state.ids].sort((a, b) => a - b), version: state.version };
    const { status, data } = await api('PUT', `/api/sentences/${sentenceId}/gold/`, body);
    if (status === 200) {
      state.dirty = false;
      state.version = data.version;
      say(`Saved gold version ${data.version} (${data.source}) by ${data.decided_by}.`, 'ok');
      const next = state.data.queue.next;
      if (next) window.location.assign(`/p/${slug}/adjudicate/${next}/`);
      else { await load(); say('Saved. The queue is empty.', 'ok'); }
    } else if (status === 409) {
      say(`${data.detail} Reload the page to see the stored gold (your draft is not saved).`, 'error');
    } else {
      say(data?.detail ?? `Could not save (HTTP ${status}).`, 'error');
    }
  }

  async function reopen() {
    const { status, data } = await api('POST', `/api/sentences/${sentenceId}/gold/reopen/`);
    if (status === 200) { await load(); say(`Reopened: gold version ${data.version} is back in the queue.`, 'ok'); }
    else say(data?.detail ?? `Could not reopen (HTTP ${status}).`, 'error');
  }

  function go(id) {
    if (!id) { say('No further sentence in that direction.'); return; }
    if (state.dirty && !window.confirm('Leave without saving the gold draft?')) return;
    window.location.assign(`/p/${slug}/adjudicate/${id}/`);
  }

  // --- rendering ----------------------------------------------------------------------------

  /** Sentence text with `spans` highlighted; `shared(span)` says whether all versions have it. */
  function renderText(spans, { shared = () => true, cursor = null } = {}) {
    const chars = cps();
    const tokens = state.data.sentence.tokens;
    const bounds = new Set([0, chars.length]);
    for (const s of spans) { bounds.add(s.start); bounds.add(s.end); }
    let sel = null;
    if (cursor) {
      sel = cursorSpan(tokens, cursor);
      if (sel) { bounds.add(sel.start); bounds.add(sel.end); }
      for (const [s, e] of tokens) { bounds.add(s); bounds.add(e); }
    }
    const points = [...bounds].sort((a, b) => a - b);
    const box = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [s, e] = [points[i], points[i + 1]];
      const covering = spans.filter((x) => x.start <= s && e <= x.end);
      const seg = el('span', { cls: 'seg', text: chars.slice(s, e).join('') });
      if (sel && sel.start <= s && e <= sel.end) seg.classList.add('sel');
      if (covering.length) {
        const span = covering[0];
        seg.classList.add('ent');
        seg.dataset.label = span.label;
        const color = (schema.entity_types ?? []).find((t) => t.name === span.label)?.color;
        if (color) seg.style.setProperty('--ent', color);
        if (!shared(span)) seg.classList.add('differs');
      }
      box.append(seg);
      for (const span of spans) {
        if (span.end === e) {
          const tag = el('span', { cls: `ent-tag${shared(span) ? '' : ' differs'}`, text: `${span.label}${shared(span) ? '' : ' ≠'}` });
          const color = (schema.entity_types ?? []).find((t) => t.name === span.label)?.color;
          if (color) tag.style.setProperty('--ent', color);
          box.append(tag);
        }
      }
    }
    return box;
  }

  function describeEvent(ev) {
    const args = ev.arguments.map((a) => `${a.role}: “${slice(a.start, a.end)}”`).join('; ');
    return `${ev.type} — “${slice(ev.trigger.start, ev.trigger.end)}”${args ? ` (${args})` : ''}`;
  }

  function renderLayers(labels, isShared) {
    const box = el('div', { cls: 'adj-layers' });
    const stance = el('ul', { cls: 'adj-stance' });
    for (const target of targets) {
      const s = labels.stance.find((x) => x.target === target);
      const ok = isShared(`stance:${target}:${s ? s.label : ''}`);
      stance.append(el('li', { cls: ok ? '' : 'differs' }, [
        el('span', { cls: 'muted', text: 'Stance: ' }), el('strong', { text: s ? s.label : '—' }),
        ok ? null : el('span', { cls: 'diff-badge', text: ' ≠ differs' }),
      ]));
    }
    box.append(stance);
    const events = el('ul', { cls: 'adj-events' });
    for (const ev of labels.events) {
      const ok = isShared(eventKey(ev)) && ev.arguments.every((a) => isShared(argKey(ev, a)));
      events.append(el('li', { cls: ok ? '' : 'differs' }, [
        el('span', { text: describeEvent(ev) }), ok ? null : el('span', { cls: 'diff-badge', text: ' ≠ differs' }),
      ]));
    }
    if (!labels.events.length) events.append(el('li', { cls: 'muted', text: 'No events' }));
    box.append(events);
    return box;
  }

  function render() {
    const d = state.data;
    const anns = d.annotations;
    buildChoices();
    const count = new Map();
    const bump = (k) => count.set(k, (count.get(k) ?? 0) + 1);
    for (const a of anns) {
      for (const k of new Set(a.labels.entities.map(entityKey))) bump(k);
      for (const ev of a.labels.events) { bump(eventKey(ev)); for (const x of ev.arguments) bump(argKey(ev, x)); }
      for (const t of targets) bump(`stance:${t}:${a.labels.stance.find((s) => s.target === t)?.label ?? ''}`);
    }
    const shared = (k) => count.get(k) === anns.length;

    const versions = $('adj-versions');
    versions.replaceChildren();
    anns.forEach((a, i) => {
      const card = el('article', { cls: 'card adj-version', attrs: { 'aria-label': `Version ${i + 1} by ${a.annotator}` } }, [
        el('h3', {}, [el('kbd', { text: String(i + 1) }), document.createTextNode(' '), el('span', { cls: 'who', text: a.annotator }),
          a.unsure ? el('span', { cls: 'muted', text: ' (unsure)' }) : null]),
        el('p', { cls: 'adj-text' }, [renderText(a.labels.entities, { shared: (s) => shared(entityKey(s)) })]),
        renderLayers(a.labels, shared),
        a.note ? el('p', { cls: 'muted', text: `Note: ${a.note}` }) : null,
      ]);
      versions.append(card);
    });
    if (!anns.length) versions.append(el('p', { cls: 'muted', text: 'No submitted annotations.' }));

    $('adj-text').replaceChildren(renderText(state.gold.entities, { cursor: state.cursor }));
    const sel = cursorSpan(d.sentence.tokens, state.cursor);
    $('adj-selection').textContent = sel ? `“${slice(sel.start, sel.end)}”` : '—';
    $('adj-gold-layers').replaceChildren(renderLayers(state.gold, () => true));
    const names = [...state.ids].map((id) => anns.find((a) => a.id === id)?.annotator ?? `#${id}`);
    $('adj-provenance').textContent = names.length ? names.join(', ') : 'edited by hand (no annotation)';
    const g = d.gold;
    $('adj-gold-state').textContent = g
      ? `(stored: version ${g.version}, ${g.source}${g.reopened ? ', reopened' : ''}${g.decided_by ? `, by ${g.decided_by}` : ''})${state.dirty ? ' · unsaved changes' : ''}`
      : `(no gold yet)${state.dirty ? ' · unsaved changes' : ''}`;
    $('adj-reopen').hidden = !g || g.reopened;

    const list = $('adj-choices');
    list.replaceChildren();
    state.choices.forEach((c, i) => {
      const on = inGold(c);
      let text;
      if (c.kind === 'stance') text = `Stance toward ${c.target}: ${state.gold.stance.find((s) => s.target === c.target)?.label ?? '—'}`;
      else if (c.kind === 'entity') text = `${c.entity.label} “${slice(c.entity.start, c.entity.end)}”`;
      else if (c.kind === 'event') text = `Event ${c.event.type} “${slice(c.event.trigger.start, c.event.trigger.end)}”`;
      else text = `↳ ${c.arg.role} “${slice(c.arg.start, c.arg.end)}” of ${c.event.type}`;
      const who = c.kind === 'stance' ? '' : (c.who.length ? c.who.map((w) => anns[w].annotator).join(', ') : 'gold only');
      const item = el('li', {
        cls: `adj-choice${on ? ' on' : ''}${i === state.focus ? ' focus' : ''}${c.kind !== 'stance' && c.who.length !== anns.length ? ' differs' : ''}`,
        attrs: { role: 'option', 'aria-selected': i === state.focus ? 'true' : 'false', id: `adj-choice-${i}` },
      }, [
        el('span', { cls: 'mark', text: c.kind === 'stance' ? '◆' : on ? '☑' : '☐', attrs: { 'aria-label': on ? 'in gold' : 'not in gold' } }),
        el('span', { text: ` ${text}` }),
        c.kind === 'stance' ? null : el('span', { cls: 'muted', text: ` — ${who} (${c.who.length}/${anns.length})` }),
      ]);
      item.addEventListener('click', () => { state.focus = i; toggle(c); });
      list.append(item);
    });
    list.setAttribute('aria-activedescendant', `adj-choice-${state.focus}`);
    list.querySelector('.focus')?.scrollIntoView({ block: 'nearest' });

    const cand = $('adj-candidate');
    cand.replaceChildren();
    if (d.candidate) {
      const c = d.candidate;
      cand.append(el('p', { text: `Candidate (${c.method}, threshold ${c.threshold}): confidence ${c.confidence.toFixed(2)}${c.needs_adjudication ? ' — needs adjudication' : ''}. Press 0 to take it.` }));
      const flags = el('ul', { cls: 'adj-flags' });
      for (const f of c.flags) {
        const where = f.span ? ` “${slice(f.span[0], f.span[1])}” ${f.span[2]}` : f.spans ? f.spans.map((s) => ` “${slice(s[0], s[1])}” ${s[2]}`).join(' vs') : f.type ? ` ${f.type}` : f.target ? ` ${f.target}` : '';
        flags.append(el('li', { text: `${f.layer}: ${f.kind.replaceAll('_', ' ')}${where}` }));
      }
      cand.append(flags);
    } else {
      cand.append(el('p', { cls: 'muted', text: 'Not aggregated yet.' }));
    }
    const hist = $('adj-history');
    hist.replaceChildren();
    for (const h of d.history) {
      hist.append(el('li', { text: `v${h.version} ${h.reopened ? 'reopened' : h.source} by ${h.decided_by ?? 'aggregation'} at ${new Date(h.decided_at).toLocaleString()}; from annotations ${h.annotation_ids.join(', ') || '—'}` }));
    }
    const q = d.queue;
    $('adj-position').textContent = q.position ? `${q.position} of ${q.size} in the queue` : 'not in the queue';
  }

  // --- keyboard -----------------------------------------------------------------------------

  function onKey(event) {
    if (!state.data) return;
    if ($('adj-help').open) return;
    const t = event.target;
    if (t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    const key = keyFromEvent(event);
    if (!key) return;
    const tokens = state.data.sentence.tokens;
    const handled = () => event.preventDefault();
    if (/^[1-9]$/.test(key)) { handled(); accept(Number(key) - 1); return; }
    if (key === '0') { handled(); takeCandidate(); return; }
    if (key === '?') { handled(); $('adj-help').showModal(); return; }
    if (t instanceof HTMLButtonElement && (key === 'enter' || key === 'space')) return; // the button's own action
    switch (key) {
      case 'arrowdown': handled(); state.focus = Math.min(state.focus + 1, state.choices.length - 1); render(); return;
      case 'arrowup': handled(); state.focus = Math.max(state.focus - 1, 0); render(); return;
      case 'space': handled(); if (state.choices[state.focus]) toggle(state.choices[state.focus]); return;
      case 'arrowright': handled(); state.cursor = cursorMove(state.cursor, 1); render(); return;
      case 'arrowleft': handled(); state.cursor = cursorMove(state.cursor, -1); render(); return;
      case 'shift+arrowright': handled(); state.cursor = cursorExtend(state.cursor, 1); render(); return;
      case 'shift+arrowleft': handled(); state.cursor = cursorExtend(state.cursor, -1); render(); return;
      case 'home': handled(); state.cursor = cursorHome(state.cursor); render(); return;
      case 'end': handled(); state.cursor = cursorEnd(state.cursor); render(); return;
      case 'shift+home': handled(); state.cursor = cursorHome(state.cursor, true); render(); return;
      case 'shift+end': handled(); state.cursor = cursorEnd(state.cursor, true); render(); return;
      case 'delete': case 'backspace': handled(); removeSelection(); return;
      case 'enter': handled(); save(); return;
      case 'pagedown': handled(); go(state.data.queue.next); return;
      case 'pageup': handled(); go(state.data.queue.previous); return;
      case 'ctrl+z': handled(); restore(state.undo, state.redo); return;
      case 'ctrl+shift+z': case 'ctrl+y': handled(); restore(state.redo, state.undo); return;
      default:
        if (entityKeys.has(key) && tokens.length) { handled(); addFromSelection(entityKeys.get(key)); }
    }
  }

  function renderHelp() {
    const rows = $('adj-help-rows');
    rows.replaceChildren();
    for (const [keys, what] of ACTIONS) rows.append(el('tr', {}, [el('td', {}, [el('kbd', { text: keys })]), el('td', { text: what })]));
    for (const [k, name] of entityKeys) {
      rows.append(el('tr', {}, [el('td', {}, [el('kbd', { text: formatKey(k) })]), el('td', { text: `Add the selection to gold as ${name}` })]));
    }
  }

  async function load() {
    const { status, data } = await api('GET', `/api/sentences/${sentenceId}/adjudication/`);
    if (status !== 200) { $('adj-title').textContent = 'Cannot load this sentence'; say(data?.detail ?? `HTTP ${status}`, 'error'); return; }
    state.data = data;
    const start = data.gold ?? (data.candidate ? { labels: data.candidate.labels, annotation_ids: data.candidate.annotation_ids } : null);
    state.gold = start ? clone(start.labels) : { entities: [], stance: [], events: [] };
    state.ids = new Set(start ? start.annotation_ids : []);
    state.version = data.gold ? data.gold.version : 0;
    state.cursor = cursorInit(data.sentence.tokens.length);
    state.undo = []; state.redo = []; state.dirty = false;
    $('adj-title').textContent = `${data.sentence.document_title} · sentence ${data.sentence.index + 1}`;
    render();
  }

  document.addEventListener('keydown', onKey);
  $('adj-help-open').addEventListener('click', () => $('adj-help').showModal());
  $('adj-save').addEventListener('click', save);
  $('adj-reopen').addEventListener('click', reopen);
  $('adj-next').addEventListener('click', () => go(state.data?.queue.next));
  window.addEventListener('beforeunload', (e) => { if (state.dirty) e.preventDefault(); });
  renderHelp();
  load().then(() => $('adj-sentence').focus());
}
