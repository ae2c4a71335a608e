import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, createHistory } from '../../frontend/static/frontend/js/lib/undo.js';

const s = (n) => Object.freeze({ n });

test('undo and redo walk back and forth; canUndo/canRedo follow', () => {
  const [a, b, c] = [s(0), s(1), s(2)];
  const h = createHistory(a);
  assert.equal(h.canUndo, false);
  assert.equal(h.canRedo, false);
  h.push(b);
  h.push(c);
  assert.equal(h.present, c);
  assert.equal(h.undo(), b);
  assert.equal(h.undo(), a);
  assert.equal(h.canUndo, false);
  assert.equal(h.canRedo, true);
  assert.equal(h.redo(), b);
  assert.equal(h.redo(), c);
  assert.equal(h.canRedo, false);
});

test('undo with nothing to undo and redo with nothing to redo change nothing', () => {
  const a = s(0);
  const h = new History(a);
  assert.equal(h.undo(), a);
  assert.equal(h.redo(), a);
  assert.equal(h.present, a);
});

test('a push after undo drops the redo tail', () => {
  const h = createHistory(s(0));
  h.push(s(1));
  h.push(s(2));
  h.undo();
  const d = s(3);
  h.push(d);
  assert.equal(h.canRedo, false);
  assert.equal(h.redo(), d);
  assert.equal(h.undo().n, 1);
});

test('pushing the present again is ignored; a custom equals can compare content', () => {
  const a = s(0);
  const h = createHistory(a);
  assert.equal(h.push(a), false);
  assert.equal(h.canUndo, false);
  const byValue = createHistory(s(0), { equals: (x, y) => x.n === y.n });
  assert.equal(byValue.push(s(0)), false);
  assert.equal(byValue.push(s(1)), true);
});

test('the history is bounded: the oldest steps are dropped', () => {
  const h = createHistory(s(0), { limit: 200 });
  for (let i = 1; i <= 250; i++) h.push(s(i));
  let steps = 0;
  while (h.canUndo) {
    h.undo();
    steps++;
  }
  assert.equal(steps, 200);
  assert.equal(h.present.n, 50);
  assert.throws(() => createHistory(s(0), { limit: 0 }), RangeError);
});

test('pushes with the same coalesce key make one undo step; other pushes and undo break the run', () => {
  const h = createHistory(s(0));
  h.push(s(1), { coalesce: 'stance:pact' });
  h.push(s(2), { coalesce: 'stance:pact' });
  h.push(s(3), { coalesce: 'stance:pact' });
  assert.equal(h.present.n, 3);
  assert.equal(h.undo().n, 0);
  assert.equal(h.redo().n, 3);
  h.push(s(4), { coalesce: 'stance:pact' }); // after redo: a new step
  assert.equal(h.undo().n, 3);
  h.push(s(5), { coalesce: 'x' });
  h.push(s(6));
  h.push(s(7), { coalesce: 'x' }); // not consecutive: a new step
  assert.equal(h.undo().n, 6);
});

test('reset forgets every step', () => {
  const h = createHistory(s(0));
  h.push(s(1));
  h.undo();
  h.reset(s(9));
  assert.equal(h.present.n, 9);
  assert.equal(h.canUndo, false);
  assert.equal(h.canRedo, false);
});
