import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankMatches, filterRanked } from '../../frontend/static/frontend/js/lib/typeahead.js';

// ACE 2005 event types, in the order a schema lists them.
const TYPES = Object.freeze([
  'Life:Be-Born', 'Life:Marry', 'Life:Divorce', 'Life:Injure', 'Life:Die',
  'Movement:Transport',
  'Transaction:Transfer-Ownership', 'Transaction:Transfer-Money',
  'Business:Start-Org', 'Business:Merge-Org', 'Business:Declare-Bankruptcy', 'Business:End-Org',
  'Conflict:Attack', 'Conflict:Demonstrate',
  'Contact:Meet', 'Contact:Phone-Write',
  'Personnel:Start-Position', 'Personnel:End-Position', 'Personnel:Nominate', 'Personnel:Elect',
  'Justice:Arrest-Jail', 'Justice:Release-Parole', 'Justice:Trial-Hearing', 'Justice:Charge-Indict',
  'Justice:Sue', 'Justice:Convict', 'Justice:Sentence', 'Justice:Fine', 'Justice:Execute',
  'Justice:Extradite', 'Justice:Acquit', 'Justice:Appeal', 'Justice:Pardon',
]);

test('"tra": subtype prefixes first (schema order), then word prefixes, then substrings', () => {
  const ranked = rankMatches(TYPES, 'tra');
  assert.deepEqual(ranked.slice(0, 3).map((m) => m.name), [
    'Movement:Transport', 'Transaction:Transfer-Ownership', 'Transaction:Transfer-Money',
  ]);
  assert.deepEqual(ranked.map((m) => [m.name, m.tier]), [
    ['Movement:Transport', 0],
    ['Transaction:Transfer-Ownership', 0],
    ['Transaction:Transfer-Money', 0],
    ['Conflict:Demonstrate', 2], // "tra" inside the word
    ['Justice:Extradite', 2],
  ]);
});

test('word prefixes rank after subtype prefixes', () => {
  assert.deepEqual(
    rankMatches(['Legal:Contra-Claim', 'Aid:Cash-Transfer', 'Movement:Transport'], 'tra').map((m) => [m.name, m.tier]),
    [['Movement:Transport', 0], ['Aid:Cash-Transfer', 1], ['Legal:Contra-Claim', 2]],
  );
  // "org": no subtype starts with it; Start-Org, Merge-Org, End-Org have an "Org" word.
  assert.deepEqual(filterRanked(TYPES, 'org'), ['Business:Start-Org', 'Business:Merge-Org', 'Business:End-Org']);
  // Two subtype prefixes: schema order decides.
  const start = rankMatches(TYPES, 'start');
  assert.deepEqual(start.map((m) => [m.name, m.tier]), [['Business:Start-Org', 0], ['Personnel:Start-Position', 0]]);
  // "life": the type part is a word prefix (tier 1), not a subtype prefix.
  assert.ok(rankMatches(TYPES, 'life').every((m) => m.tier === 1));
  // "position": subtype words
  assert.deepEqual(filterRanked(TYPES, 'position'), ['Personnel:Start-Position', 'Personnel:End-Position']);
});

test('matching is case-insensitive and reports the match range for highlighting', () => {
  const [m] = rankMatches(TYPES, 'ATTA');
  assert.equal(m.name, 'Conflict:Attack');
  assert.equal(m.name.slice(m.matchStart, m.matchEnd), 'Atta');
  const [w] = rankMatches(TYPES, 'money');
  assert.equal(w.tier, 1);
  assert.equal(w.name.slice(w.matchStart, w.matchEnd), 'Money');
  const sub = rankMatches(['Contact:Phone-Write'], 'hone');
  assert.equal(sub[0].tier, 2);
});

test('"type:sub" queries match both parts', () => {
  assert.deepEqual(filterRanked(TYPES, 'trans:tr'), ['Transaction:Transfer-Ownership', 'Transaction:Transfer-Money']);
  assert.deepEqual(filterRanked(TYPES, 'mov:tra'), ['Movement:Transport']);
});

test('roles (no colon) and objects with a name; empty query keeps everything in order; limit', () => {
  const roles = ['Agent', 'Artifact', 'Vehicle', 'Origin', 'Destination', 'Time', 'Time-Within'];
  assert.deepEqual(filterRanked(roles, 'a'), ['Agent', 'Artifact', 'Destination']);
  assert.deepEqual(filterRanked(roles, 'time'), ['Time', 'Time-Within']);
  assert.deepEqual(rankMatches(roles, 'with').map((m) => [m.name, m.tier]), [['Time-Within', 1]]);
  assert.deepEqual(rankMatches(roles, 'in').map((m) => [m.name, m.tier]), [['Origin', 2], ['Destination', 2], ['Time-Within', 2]]);
  const objs = [{ name: 'Conflict:Attack' }, { name: 'Contact:Meet' }];
  assert.deepEqual(filterRanked(objs, 'meet'), [objs[1]]);
  assert.deepEqual(filterRanked(roles, '  '), roles);
  assert.equal(rankMatches(TYPES, '', { limit: 5 }).length, 5);
  assert.deepEqual(filterRanked(TYPES, 'zzz'), []);
});
