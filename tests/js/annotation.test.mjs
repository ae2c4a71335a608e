import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyAnnotation, addEntity, removeEntity, relabelEntity, setStance, addEvent, removeEvent,
  addArgument, removeArgument, setStatus, validateLocally, serialize,
} from '../../frontend/static/frontend/js/lib/annotation.js';

const deepFreeze = (o) => {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
};

const TARGET = 'the Russia–North Korea defence pact';
const SCHEMA = deepFreeze({
  entity_types: [{ name: 'GPE', hotkey: 'g' }, { name: 'PER', hotkey: 'p' }],
  allow_overlapping_entities: false,
  stance: { targets: [TARGET], labels: ['favor', 'against', 'neutral', 'none'] },
  event_types: [{ name: 'Movement:Transport', roles: ['Agent', 'Artifact', 'Destination'] },
    { name: 'Contact:Meet', roles: ['Entity', 'Place'] }],
});

test('emptyAnnotation is a valid draft', () => {
  const a = emptyAnnotation(SCHEMA);
  assert.deepEqual(a, { entities: [], stance: [], events: [], status: 'draft' });
  assert.deepEqual(validateLocally(SCHEMA, 10, a), []);
});

test('every helper returns a new object and leaves its (frozen) input unchanged', () => {
  const base = deepFreeze(emptyAnnotation(SCHEMA));
  const snapshot = serialize(base);
  const a1 = deepFreeze(addEntity(base, { start: 4, end: 9, label: 'PER' }));
  const a2 = deepFreeze(addEntity(a1, { start: 0, end: 3, label: 'GPE' }));
  const a3 = deepFreeze(setStance(a2, TARGET, 'neutral'));
  const a4 = deepFreeze(addEvent(a3, 'Contact:Meet', { start: 10, end: 13 }));
  const a5 = deepFreeze(addArgument(a4, 0, 'Entity', { start: 4, end: 9 }));
  const a6 = deepFreeze(relabelEntity(a5, 0, 'PER'));
  const a7 = deepFreeze(setStatus(a6, 'submitted'));
  for (const [prev, next] of [[base, a1], [a1, a2], [a2, a3], [a3, a4], [a4, a5], [a5, a6], [a6, a7]]) {
    assert.notEqual(prev, next);
  }
  assert.equal(serialize(base), snapshot);
  assert.deepEqual(a7, {
    entities: [{ start: 0, end: 3, label: 'PER' }, { start: 4, end: 9, label: 'PER' }],
    stance: [{ target: TARGET, label: 'neutral' }],
    events: [{ type: 'Contact:Meet', trigger: { start: 10, end: 13 }, arguments: [{ role: 'Entity', start: 4, end: 9 }] }],
    status: 'submitted',
  });
  // Unchanged parts are shared (cheap undo states).
  assert.equal(a4.entities, a3.entities);
  // Removals
  assert.deepEqual(removeArgument(a7, 0, 0).events[0].arguments, []);
  assert.deepEqual(removeEvent(a7, 0).events, []);
  assert.deepEqual(removeEntity(a7, 1).entities, [{ start: 0, end: 3, label: 'PER' }]);
  assert.deepEqual(setStance(a7, TARGET, null).stance, []);
  assert.equal(a7.events[0].arguments.length, 1);
});

test('entities are kept in canonical order; duplicates and no-ops return the same object', () => {
  let a = emptyAnnotation(SCHEMA);
  a = addEntity(a, { start: 5, end: 9, label: 'GPE' });
  a = addEntity(a, { start: 0, end: 9, label: 'PER' });
  a = addEntity(a, { start: 0, end: 3, label: 'GPE' });
  assert.deepEqual(a.entities.map((e) => [e.start, e.end]), [[0, 9], [0, 3], [5, 9]]);
  assert.equal(addEntity(a, { start: 0, end: 3, label: 'GPE' }), a);
  assert.equal(removeEntity(a, 7), a);
  assert.equal(removeEvent(a, 0), a);
  assert.equal(addArgument(a, 3, 'Agent', { start: 0, end: 1 }), a);
  assert.equal(setStatus(a, 'draft'), a);
  assert.equal(setStance(a, TARGET, null), a);
  const s = setStance(a, TARGET, 'favor');
  assert.equal(setStance(s, TARGET, 'favor'), s);
  assert.deepEqual(setStance(s, TARGET, 'against').stance, [{ target: TARGET, label: 'against' }]);
});

test('validateLocally names every bad field', () => {
  const bad = deepFreeze({
    entities: [
      { start: 0, end: 6, label: 'GPE' },
      { start: 3, end: 8, label: 'GPE' },     // overlaps entities[0]
      { start: 9, end: 30, label: 'PER' },    // past the end
      { start: 12, end: 14, label: 'LOC' },   // unknown type
      { start: 15, end: 15, label: 'PER' },   // empty
    ],
    stance: [{ target: TARGET, label: 'maybe' }, { target: 'other', label: 'favor' }],
    events: [
      { type: 'Movement:Transport', trigger: { start: 0, end: 3 }, arguments: [{ role: 'Vehicle', start: 4, end: 5 }] },
      { type: 'Conflict:Attack', trigger: { start: 2, end: 1 }, arguments: [] },
    ],
    status: 'done',
  });
  assert.deepEqual(validateLocally(SCHEMA, 20, bad).map((e) => e.field), [
    'entities[1]',
    'entities[2].end',
    'entities[3].label',
    'entities[4].start',
    'stance[0].label',
    'stance[1].target',
    'events[0].arguments[0].role',
    'events[1].type',
    'events[1].trigger',
    'status',
  ]);
});

test('validateLocally allows overlaps when the schema does, but never exact duplicates', () => {
  const ann = {
    entities: [{ start: 0, end: 6, label: 'GPE' }, { start: 3, end: 8, label: 'PER' }, { start: 0, end: 6, label: 'GPE' }],
    stance: [], events: [], status: 'draft',
  };
  const errors = validateLocally({ ...SCHEMA, allow_overlapping_entities: true }, 20, ann);
  assert.deepEqual(errors, [{ field: 'entities[2]', message: 'duplicates entities[0]' }]);
  assert.equal(validateLocally(SCHEMA, 20, ann).length, 3);
});

test('validateLocally reports a repeated stance target and non-list fields', () => {
  const errors = validateLocally(SCHEMA, 10, {
    entities: null, stance: [{ target: TARGET, label: 'favor' }, { target: TARGET, label: 'none' }], events: [], status: 'draft',
  });
  assert.deepEqual(errors.map((e) => e.field), ['entities', 'stance[1].target']);
});

test('serialize is stable across key order and ignores what is omitted', () => {
  const a = { status: 'draft', entities: [{ label: 'GPE', end: 3, start: 0 }], stance: [], events: [], version: 3 };
  const b = { version: 4, events: [], stance: [], entities: [{ start: 0, end: 3, label: 'GPE' }], status: 'draft' };
  assert.notEqual(serialize(a), serialize(b));
  assert.equal(serialize(a, { omit: ['version'] }), serialize(b, { omit: ['version'] }));
  assert.equal(serialize(a, { omit: ['version'] }),
    '{"entities":[{"end":3,"label":"GPE","start":0}],"events":[],"stance":[],"status":"draft"}');
  assert.notEqual(serialize(addEntity(b, { start: 4, end: 5, label: 'PER' })), serialize(b));
});
