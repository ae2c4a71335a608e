/**
 * Pure helpers on one annotator's annotation of one sentence, in the JSON shape of
 * CONTRACT.md (pure: no DOM, no globals). Every helper returns a new object and never
 * mutates its input; unchanged parts are shared, so states are cheap to keep in the
 * undo history. Offsets are code points relative to the sentence, end-exclusive.
 *
 * validateLocally gives quick feedback only; the server's validation is the authority.
 *
 * @module annotation
 */

import { compareSpans, overlaps } from './spans.js';

/** @typedef {{start: number, end: number}} Span */
/** @typedef {{start: number, end: number, label: string}} Entity */
/** @typedef {{target: string, label: string}} Stance */
/** @typedef {{role: string, start: number, end: number}} Argument */
/** @typedef {{type: string, trigger: Span, arguments: Argument[]}} Event */
/**
 * @typedef {object} Annotation
 * @property {Entity[]} entities
 * @property {Stance[]} stance
 * @property {Event[]} events
 * @property {'draft'|'submitted'|'skipped'} status
 * @property {number} [version]  the stored version this state was based on
 */
/** @typedef {{field: string, message: string}} FieldError */

export const STATUSES = Object.freeze(['draft', 'submitted', 'skipped']);

/**
 * A blank draft. `version` is left out: the API client sets it from the server.
 * The schema is accepted for symmetry and future defaults; stance starts unset (an
 * unset target is simply absent from `stance`).
 * @param {object} [schema]
 * @returns {Annotation}
 */
export function emptyAnnotation(schema) {
  return { entities: [], stance: [], events: [], status: 'draft' };
}

/**
 * Add an entity, keeping `entities` in canonical order (start, -end, label).
 * Adding an exact duplicate returns the input unchanged (same object).
 * Overlap rules are not enforced here: see validateLocally.
 * @param {Annotation} ann
 * @param {Entity} entity
 * @returns {Annotation}
 */
export function addEntity(ann, entity) {
  const e = { start: entity.start, end: entity.end, label: entity.label };
  if (ann.entities.some((x) => x.start === e.start && x.end === e.end && x.label === e.label)) return ann;
  const entities = [...ann.entities, e].sort(compareSpans);
  return { ...ann, entities };
}

/**
 * Remove the entity at `index` (out of range: the input is returned unchanged).
 * @param {Annotation} ann
 * @param {number} index
 * @returns {Annotation}
 */
export function removeEntity(ann, index) {
  if (!(index >= 0 && index < ann.entities.length)) return ann;
  return { ...ann, entities: ann.entities.filter((_, i) => i !== index) };
}

/**
 * Change the label of the entity at `index`.
 * @param {Annotation} ann
 * @param {number} index
 * @param {string} label
 * @returns {Annotation}
 */
export function relabelEntity(ann, index, label) {
  if (!(index >= 0 && index < ann.entities.length)) return ann;
  const entities = ann.entities.map((e, i) => (i === index ? { ...e, label } : e)).sort(compareSpans);
  return { ...ann, entities };
}

/**
 * Set the stance label for `target`; a null label clears it. The order of targets is
 * kept (a new target is appended).
 * @param {Annotation} ann
 * @param {string} target
 * @param {string | null} label
 * @returns {Annotation}
 */
export function setStance(ann, target, label) {
  const i = ann.stance.findIndex((s) => s.target === target);
  if (label === null || label === undefined) {
    return i === -1 ? ann : { ...ann, stance: ann.stance.filter((_, j) => j !== i) };
  }
  if (i !== -1 && ann.stance[i].label === label) return ann;
  const entry = { target, label };
  const stance = i === -1 ? [...ann.stance, entry] : ann.stance.map((s, j) => (j === i ? entry : s));
  return { ...ann, stance };
}

/**
 * Append an event with no arguments.
 * @param {Annotation} ann
 * @param {string} type
 * @param {Span} trigger
 * @returns {Annotation}
 */
export function addEvent(ann, type, trigger) {
  const event = { type, trigger: { start: trigger.start, end: trigger.end }, arguments: [] };
  return { ...ann, events: [...ann.events, event] };
}

/**
 * Remove the event at `index`.
 * @param {Annotation} ann
 * @param {number} index
 * @returns {Annotation}
 */
export function removeEvent(ann, index) {
  if (!(index >= 0 && index < ann.events.length)) return ann;
  return { ...ann, events: ann.events.filter((_, i) => i !== index) };
}

/**
 * @param {Annotation} ann
 * @param {number} index
 * @param {(event: Event) => Event} change
 * @returns {Annotation}
 */
function updateEvent(ann, index, change) {
  if (!(index >= 0 && index < ann.events.length)) return ann;
  const updated = change(ann.events[index]);
  if (updated === ann.events[index]) return ann;
  return { ...ann, events: ann.events.map((ev, i) => (i === index ? updated : ev)) };
}

/**
 * Add an argument to event `eventIndex`; an exact duplicate is ignored.
 * @param {Annotation} ann
 * @param {number} eventIndex
 * @param {string} role
 * @param {Span} span
 * @returns {Annotation}
 */
export function addArgument(ann, eventIndex, role, span) {
  return updateEvent(ann, eventIndex, (ev) => {
    if (ev.arguments.some((a) => a.role === role && a.start === span.start && a.end === span.end)) return ev;
    return { ...ev, arguments: [...ev.arguments, { role, start: span.start, end: span.end }] };
  });
}

/**
 * Remove argument `argIndex` of event `eventIndex`.
 * @param {Annotation} ann
 * @param {number} eventIndex
 * @param {number} argIndex
 * @returns {Annotation}
 */
export function removeArgument(ann, eventIndex, argIndex) {
  return updateEvent(ann, eventIndex, (ev) => {
    if (!(argIndex >= 0 && argIndex < ev.arguments.length)) return ev;
    return { ...ev, arguments: ev.arguments.filter((_, i) => i !== argIndex) };
  });
}

/**
 * @param {Annotation} ann
 * @param {'draft'|'submitted'|'skipped'} status
 * @returns {Annotation}
 */
export function setStatus(ann, status) {
  return ann.status === status ? ann : { ...ann, status };
}

/**
 * @param {unknown} span
 * @param {number} length
 * @returns {string | null} why the span is bad, or null
 */
function spanProblem(span, length) {
  const s = /** @type {any} */ (span);
  if (!s || !Number.isInteger(s.start) || !Number.isInteger(s.end)) return 'start and end must be integers';
  if (s.start < 0) return `start ${s.start} is negative`;
  if (s.end > length) return `end ${s.end} is past the sentence end (${length})`;
  if (s.start >= s.end) return `span ${s.start}..${s.end} is empty`;
  return null;
}

/**
 * Quick client-side checks against the schema; returns every problem with its field
 * path (e.g. "entities[0].start"), [] when none. The server remains the authority.
 * @param {object} schema  label schema as in CONTRACT.md
 * @param {number} sentenceLength  in code points
 * @param {Annotation} ann
 * @returns {FieldError[]}
 */
export function validateLocally(schema, sentenceLength, ann) {
  /** @type {FieldError[]} */
  const errors = [];
  const entityTypes = new Set((schema?.entity_types ?? []).map((t) => t.name));
  const eventRoles = new Map((schema?.event_types ?? []).map((t) => [t.name, new Set(t.roles ?? [])]));
  const targets = new Set(schema?.stance?.targets ?? []);
  const labels = new Set(schema?.stance?.labels ?? []);

  const entities = Array.isArray(ann?.entities) ? ann.entities : [];
  if (!Array.isArray(ann?.entities)) errors.push({ field: 'entities', message: 'must be a list' });
  const badSpan = entities.map((e) => spanProblem(e, sentenceLength));
  entities.forEach((e, i) => {
    const problem = badSpan[i];
    if (problem) {
      const field = problem.startsWith('end') ? 'end' : 'start';
      errors.push({ field: `entities[${i}].${field}`, message: problem });
    }
    if (!entityTypes.has(e?.label)) {
      errors.push({ field: `entities[${i}].label`, message: `unknown entity type "${e?.label}"` });
    }
    for (let j = 0; j < i; j++) {
      const o = entities[j];
      if (o.start === e.start && o.end === e.end && o.label === e.label) {
        errors.push({ field: `entities[${i}]`, message: `duplicates entities[${j}]` });
      } else if (!schema?.allow_overlapping_entities && !problem && !badSpan[j] && overlaps(o, e)) {
        errors.push({ field: `entities[${i}]`, message: `overlaps entities[${j}] (overlapping entities are not allowed)` });
      }
    }
  });

  const stance = Array.isArray(ann?.stance) ? ann.stance : [];
  if (!Array.isArray(ann?.stance)) errors.push({ field: 'stance', message: 'must be a list' });
  const seenTargets = new Set();
  stance.forEach((s, i) => {
    if (!targets.has(s?.target)) errors.push({ field: `stance[${i}].target`, message: `unknown stance target "${s?.target}"` });
    else if (seenTargets.has(s.target)) errors.push({ field: `stance[${i}].target`, message: `target "${s.target}" appears twice` });
    seenTargets.add(s?.target);
    if (!labels.has(s?.label)) errors.push({ field: `stance[${i}].label`, message: `unknown stance label "${s?.label}"` });
  });

  const events = Array.isArray(ann?.events) ? ann.events : [];
  if (!Array.isArray(ann?.events)) errors.push({ field: 'events', message: 'must be a list' });
  events.forEach((ev, i) => {
    const roles = eventRoles.get(ev?.type);
    if (!roles) errors.push({ field: `events[${i}].type`, message: `unknown event type "${ev?.type}"` });
    const tp = spanProblem(ev?.trigger, sentenceLength);
    if (tp) errors.push({ field: `events[${i}].trigger`, message: tp });
    const args = Array.isArray(ev?.arguments) ? ev.arguments : [];
    if (!Array.isArray(ev?.arguments)) errors.push({ field: `events[${i}].arguments`, message: 'must be a list' });
    args.forEach((a, j) => {
      if (roles && !roles.has(a?.role)) {
        errors.push({ field: `events[${i}].arguments[${j}].role`, message: `"${a?.role}" is not a role of ${ev.type}` });
      }
      const ap = spanProblem(a, sentenceLength);
      if (ap) errors.push({ field: `events[${i}].arguments[${j}]`, message: ap });
    });
  });

  if (!STATUSES.includes(ann?.status)) {
    errors.push({ field: 'status', message: `status must be one of ${STATUSES.join(', ')}` });
  }
  return errors;
}

/**
 * Stable JSON for dirty checking: object keys sorted at every level, array order kept
 * (entities are kept canonical by addEntity). Two annotations with the same content
 * serialize identically whatever the key order they were built with.
 * @param {unknown} value
 * @param {{omit?: string[]}} [options]  top-level keys to leave out, e.g. ['version']
 * @returns {string}
 */
export function serialize(value, { omit = [] } = {}) {
  const skip = new Set(omit);
  const top = value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter(([k]) => !skip.has(k)))
    : value;
  return JSON.stringify(sortKeys(top));
}

/**
 * A copy of `value` with object keys sorted at every level.
 * @param {unknown} value
 * @returns {unknown}
 */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}
