import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RESERVED, keyFromEvent, normalizeKeySpec, formatKey, buildKeymap, bindingForEvent, describeKeymap,
} from '../../frontend/static/frontend/js/lib/keymap.js';

const SCHEMA = Object.freeze({
  entity_types: Object.freeze([
    Object.freeze({ name: 'GPE', hotkey: 'g' }),
    Object.freeze({ name: 'PER', hotkey: 'p' }),
    Object.freeze({ name: 'ORG', hotkey: 'O' }),
  ]),
  stance: Object.freeze({ targets: Object.freeze(['the pact']), labels: Object.freeze(['favor', 'against', 'neutral', 'none']) }),
  event_types: Object.freeze([]),
});

test('keyFromEvent gives canonical strings', () => {
  assert.equal(keyFromEvent({ key: 'z', ctrlKey: true }), 'ctrl+z');
  assert.equal(keyFromEvent({ key: 'Z', ctrlKey: true, shiftKey: true }), 'ctrl+shift+z');
  assert.equal(keyFromEvent({ key: 'ArrowRight', shiftKey: true }), 'shift+arrowright');
  assert.equal(keyFromEvent({ key: 'Enter' }), 'enter');
  assert.equal(keyFromEvent({ key: 'Esc' }), 'escape');
  assert.equal(keyFromEvent({ key: ' ' }), 'space');
  assert.equal(keyFromEvent({ key: 'Tab', shiftKey: true }), 'shift+tab');
  assert.equal(keyFromEvent({ key: 'y', ctrlKey: true, altKey: true, metaKey: true }), 'ctrl+alt+meta+y');
});

test('keyFromEvent: Shift is explicit for letters, implied for other characters; Caps Lock ignored', () => {
  assert.equal(keyFromEvent({ key: 'G', shiftKey: true }), 'shift+g');
  assert.equal(keyFromEvent({ key: 'G', shiftKey: false }), 'g'); // Caps Lock on
  assert.equal(keyFromEvent({ key: '?', shiftKey: true }), '?');
  assert.equal(keyFromEvent({ key: '1' }), '1');
  assert.equal(keyFromEvent({ key: 'Ж', shiftKey: true }), 'shift+ж');
});

test('keyFromEvent returns null for bare modifiers and dead keys; metaIsCtrl maps Cmd to Ctrl', () => {
  assert.equal(keyFromEvent({ key: 'Shift', shiftKey: true }), null);
  assert.equal(keyFromEvent({ key: 'Control', ctrlKey: true }), null);
  assert.equal(keyFromEvent({ key: 'Dead' }), null);
  assert.equal(keyFromEvent({ key: '' }), null);
  assert.equal(keyFromEvent({ key: 'z', metaKey: true }, { metaIsCtrl: true }), 'ctrl+z');
});

test('normalizeKeySpec reads schema hotkeys', () => {
  assert.equal(normalizeKeySpec('g'), 'g');
  assert.equal(normalizeKeySpec('G'), 'shift+g');
  assert.equal(normalizeKeySpec('Ctrl+G'), 'ctrl+shift+g');
  assert.equal(normalizeKeySpec('ctrl+g'), 'ctrl+g');
  assert.equal(normalizeKeySpec('Shift+Ctrl+z'), 'ctrl+shift+z');
  assert.equal(normalizeKeySpec('Space'), 'space');
  assert.equal(normalizeKeySpec('ctrl++'), 'ctrl++');
  assert.equal(normalizeKeySpec('+'), '+');
  assert.equal(normalizeKeySpec('Esc'), 'escape');
  assert.equal(normalizeKeySpec('hyper+g'), null);
  assert.equal(normalizeKeySpec(''), null);
  assert.equal(normalizeKeySpec('ctrl+'), null);
  assert.equal(normalizeKeySpec('Shift'), null);
});

test('buildKeymap binds entity hotkeys, stance digits and reserved actions', () => {
  const km = buildKeymap(SCHEMA);
  assert.deepEqual(km.errors, []);
  assert.deepEqual(bindingForEvent(km, { key: 'g' }), { action: 'entity', arg: 'GPE', description: 'Entity: GPE' });
  assert.equal(bindingForEvent(km, { key: 'O', shiftKey: true }).arg, 'ORG');
  assert.equal(bindingForEvent(km, { key: 'o' }), null);
  assert.equal(bindingForEvent(km, { key: '2' }).arg, 'against');
  assert.equal(bindingForEvent(km, { key: '5' }), null);
  assert.equal(bindingForEvent(km, { key: 'z', ctrlKey: true }).action, 'undo');
  assert.equal(bindingForEvent(km, { key: 'Z', ctrlKey: true, shiftKey: true }).action, 'redo');
  assert.equal(bindingForEvent(km, { key: 'y', ctrlKey: true }).action, 'redo');
  assert.equal(bindingForEvent(km, { key: '?', shiftKey: true }).action, 'help');
  assert.equal(bindingForEvent(km, { key: 'Backspace' }).action, 'remove');
  assert.equal(bindingForEvent(km, { key: 'ArrowLeft', shiftKey: true }).action, 'extend-prev');
});

test('buildKeymap reports clashes with reserved keys, stance digits and other types as errors', () => {
  const km = buildKeymap({
    entity_types: [
      { name: 'EVT', hotkey: 'e' },        // reserved: event mode
      { name: 'SKIP', hotkey: 's' },       // reserved: skip
      { name: 'NUM', hotkey: '1' },        // stance label 1
      { name: 'GPE', hotkey: 'g' },
      { name: 'GEO', hotkey: 'g' },        // clashes with GPE
      { name: 'UNDO', hotkey: 'Ctrl+z' },  // reserved
      { name: 'BAD', hotkey: 'hyper+x' },  // invalid
      { name: 'HELP', hotkey: 'shift+?' }, // = '?', reserved
      { name: 'NONE' },                    // no hotkey: a warning only
    ],
    stance: { targets: ['t'], labels: ['favor'] },
  });
  assert.deepEqual(km.errors.map((e) => e.field), [
    'entity_types[0].hotkey', 'entity_types[1].hotkey', 'entity_types[2].hotkey',
    'entity_types[4].hotkey', 'entity_types[5].hotkey', 'entity_types[6].hotkey', 'entity_types[7].hotkey',
  ]);
  assert.match(km.errors[0].message, /event-mode/);
  assert.match(km.errors[2].message, /stance label "favor"/);
  assert.match(km.errors[3].message, /entity type "GPE"/);
  // The reserved / first binding wins.
  assert.equal(km.bindings.get('e').action, 'event-mode');
  assert.equal(km.bindings.get('g').arg, 'GPE');
  assert.deepEqual(km.warnings.map((w) => w.field), ['entity_types[8].hotkey']);
});

test('a digit past the stance labels is free for entity types; labels past 9 get a warning', () => {
  const km = buildKeymap({ entity_types: [{ name: 'X', hotkey: '3' }], stance: { targets: [], labels: ['a', 'b'] } });
  assert.deepEqual(km.errors, []);
  const many = buildKeymap({ stance: { labels: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] } });
  assert.deepEqual(many.warnings.map((w) => w.field), ['stance.labels[9]']);
  assert.equal(buildKeymap({}).errors.length, 0);
});

test('describeKeymap groups keys per action for the shortcut sheet', () => {
  const rows = describeKeymap(buildKeymap(SCHEMA));
  const redo = rows.find((r) => r.action === 'redo');
  assert.deepEqual(redo.keys, ['ctrl+shift+z', 'ctrl+y']);
  assert.deepEqual(redo.labels, ['Ctrl+Shift+Z', 'Ctrl+Y']);
  assert.deepEqual(rows.find((r) => r.arg === 'ORG').labels, ['Shift+O']);
  assert.deepEqual(rows.filter((r) => r.action === 'stance').map((r) => r.keys[0]), ['1', '2', '3', '4']);
  assert.equal(rows.length, RESERVED.length + 4 + 3);
  assert.equal(formatKey('shift+arrowleft'), 'Shift+←');
  assert.equal(formatKey('ctrl++'), 'Ctrl++');
});
