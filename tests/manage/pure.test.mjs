// node --test tests/manage/pure.test.mjs — the DOM-free helpers of the lead's pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debounce, formatSeconds, isColor, parseJson, previewModel, slugify } from '../../frontend/static/frontend/js/manage/pure.js';

test('parseJson returns the value or one error for the whole schema', () => {
  assert.deepEqual(parseJson('{"a": 1}'), { ok: true, value: { a: 1 } });
  const bad = parseJson('{\n "a": }');
  assert.equal(bad.ok, false);
  assert.equal(bad.error.field, '');
  assert.match(bad.error.message, /^Not valid JSON: /);
  assert.doesNotMatch(bad.error.message, /is not valid JSON$/);
});

test('previewModel keeps only well-formed parts of a half-typed schema', () => {
  const model = previewModel({
    entity_types: [{ name: 'PER', hotkey: 'p', color: '#e69f00' }, { hotkey: 'x' }, { name: 'ORG', color: 'red' }],
    stance: { targets: ['the pact', 3], labels: ['favor', 'against'] },
    event_types: [{ name: 'Contact:Meet', roles: ['Entity', null] }, 'nope'],
  });
  assert.deepEqual(model.entities, [
    { name: 'PER', hotkey: 'p', color: '#e69f00' },
    { name: 'ORG', hotkey: null, color: null },
  ]);
  assert.deepEqual(model.targets, ['the pact']);
  assert.deepEqual(model.events, [{ name: 'Contact:Meet', roles: ['Entity'] }]);
  assert.deepEqual(previewModel([1]), { entities: [], targets: [], labels: [], events: [] });
});

test('isColor accepts only #rrggbb', () => {
  assert.ok(isColor('#A0b1C2'));
  assert.ok(!isColor('#abc'));
  assert.ok(!isColor('url(x)'));
});

test('slugify makes a slug Django accepts', () => {
  assert.equal(slugify('  Ünïcode News: 2024! '), 'unicode-news-2024');
  assert.equal(slugify('---'), '');
  assert.ok(slugify('a'.repeat(150)).length <= 100);
});

test('formatSeconds reads like a person would say it', () => {
  assert.equal(formatSeconds(null), '—');
  assert.equal(formatSeconds(42.4), '42 s');
  assert.equal(formatSeconds(125), '2 min 5 s');
  assert.equal(formatSeconds(7260), '2 h 1 min');
});

test('debounce calls once with the last arguments, and flush runs it now', async () => {
  const calls = [];
  const f = debounce((x) => calls.push(x), 20);
  f(1); f(2); f(3);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(calls, [3]);
  f(4);
  f.flush();
  assert.deepEqual(calls, [3, 4]);
});

test('impactCandidates offers names of the same kind; a role those of its (renamed) event type', async () => {
  const { impactCandidates } = await import('../../frontend/static/frontend/js/manage/pure.js');
  const schema = {
    entity_types: [{ name: 'PER' }, { name: 'Organisation' }],
    stance: { targets: ['the treaty'], labels: ['favor', 'against'] },
    event_types: [{ name: 'Contact:Meeting', roles: ['Participant', 'Place'] }],
  };
  assert.deepEqual(impactCandidates(schema, { kind: 'entity_types', name: 'ORG' }), ['PER', 'Organisation']);
  assert.deepEqual(impactCandidates(schema, { kind: 'stance_labels', name: 'none' }), ['favor', 'against']);
  const role = { kind: 'roles', name: 'Entity', event_type: 'Contact:Meet' };
  assert.deepEqual(impactCandidates(schema, role), []);
  assert.deepEqual(impactCandidates(schema, role, { event_types: { 'Contact:Meet': 'Contact:Meeting' } }),
    ['Participant', 'Place']);
});

test('renamesFrom builds the PATCH renames, leaving out names kept as orphans', async () => {
  const { impactKey, renamesFrom } = await import('../../frontend/static/frontend/js/manage/pure.js');
  const choices = [
    { item: { kind: 'entity_types', name: 'ORG' }, to: 'PER' },
    { item: { kind: 'entity_types', name: 'GPE' }, to: '' },
    { item: { kind: 'roles', name: 'Entity', event_type: 'Contact:Meet' }, to: 'Participant' },
  ];
  assert.deepEqual(renamesFrom(choices), {
    entity_types: { ORG: 'PER' }, roles: { 'Contact:Meet': { Entity: 'Participant' } },
  });
  assert.notEqual(impactKey({ kind: 'roles', name: 'A', event_type: 'X' }), impactKey({ kind: 'roles', name: 'A', event_type: 'Y' }));
});
