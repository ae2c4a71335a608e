import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterLabels } from '../../frontend/static/frontend/js/lib/labels.js';

const TYPES = [
  { name: 'PER', description: 'People' },
  { name: 'GPE', description: 'Countries, cities' },
  { name: 'LOC', description: 'Places that are not countries' },
];

test('an empty filter offers every label in schema order', () => {
  assert.deepEqual(filterLabels(TYPES, '  ').map((t) => t.name), ['PER', 'GPE', 'LOC']);
});

test('names match first (prefix before inside), then descriptions', () => {
  assert.deepEqual(filterLabels(TYPES, 'gp').map((t) => t.name), ['GPE']);
  assert.deepEqual(filterLabels(TYPES, 'countr').map((t) => t.name), ['GPE', 'LOC']);
  assert.deepEqual(filterLabels(TYPES, 'e').map((t) => t.name), ['PER', 'GPE', 'LOC']);
  assert.deepEqual(filterLabels(TYPES, 'zz'), []);
});
