import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tokenAt, snapToTokens, cursorInit, cursorFromSpan, cursorMove, cursorExtend,
  cursorHome, cursorEnd, cursorSpan,
} from '../../frontend/static/frontend/js/lib/tokens.js';

// "Putin met Kim Jong Un ." -> tokens as the server sends them (code points)
const TEXT = 'Putin met Kim Jong Un .';
const TOKENS = Object.freeze([[0, 5], [6, 9], [10, 13], [14, 18], [19, 21], [22, 23]].map((t) => Object.freeze(t)));

test('tokenAt finds the token containing an offset, -1 on whitespace and outside', () => {
  assert.equal(tokenAt(TOKENS, 0), 0);
  assert.equal(tokenAt(TOKENS, 4), 0);
  assert.equal(tokenAt(TOKENS, 5), -1); // the space after "Putin"
  assert.equal(tokenAt(TOKENS, 6), 1);
  assert.equal(tokenAt(TOKENS, 22), 5);
  assert.equal(tokenAt(TOKENS, 23), -1);
  assert.equal(tokenAt(TOKENS, -1), -1);
  assert.equal(tokenAt([], 0), -1);
});

test('snapToTokens widens a partial selection to whole tokens', () => {
  // "in me" -> "Putin met"
  assert.deepEqual(snapToTokens(TOKENS, 3, 8), { start: 0, end: 9, first: 0, last: 1 });
  assert.equal(TEXT.slice(0, 9), 'Putin met');
  // one character of "Kim"
  assert.deepEqual(snapToTokens(TOKENS, 11, 12), { start: 10, end: 13, first: 2, last: 2 });
  // an exact token selection is kept
  assert.deepEqual(snapToTokens(TOKENS, 10, 21), { start: 10, end: 21, first: 2, last: 4 });
});

test('snapToTokens ignores whitespace at the selection edges', () => {
  // " met " (5..10) touches only "met"
  assert.deepEqual(snapToTokens(TOKENS, 5, 10), { start: 6, end: 9, first: 1, last: 1 });
});

test('snapToTokens accepts a backwards selection', () => {
  assert.deepEqual(snapToTokens(TOKENS, 8, 3), { start: 0, end: 9, first: 0, last: 1 });
});

test('snapToTokens returns null for whitespace-only, empty and out-of-range selections', () => {
  assert.equal(snapToTokens(TOKENS, 5, 6), null);
  assert.equal(snapToTokens(TOKENS, 4, 4), null);
  assert.equal(snapToTokens(TOKENS, 23, 30), null);
  assert.equal(snapToTokens([], 0, 3), null);
});

test('snapToTokens touching a token edge only (end-exclusive) does not include it', () => {
  // selection 5..6 is the space; 9..10 ends exactly where "Kim" begins
  assert.equal(snapToTokens(TOKENS, 9, 10), null);
});

test('snapToTokens agrees with a linear scan on many selections of a 200-token sentence', () => {
  const tokens = [];
  for (let i = 0; i < 200; i++) tokens.push([i * 4, i * 4 + 3]);
  for (let a = 0; a < 805; a += 3) {
    for (let b = a + 1; b < 805; b += 37) {
      const touched = tokens.map((t, i) => [t, i]).filter(([t]) => t[0] < b && a < t[1]);
      const want = touched.length === 0 ? null : {
        start: touched[0][0][0], end: touched.at(-1)[0][1], first: touched[0][1], last: touched.at(-1)[1],
      };
      assert.deepEqual(snapToTokens(tokens, a, b), want, `${a}..${b}`);
    }
  }
});

test('cursorMove moves by one token and stops at the edges', () => {
  let s = cursorInit(TOKENS.length);
  assert.deepEqual(s, { anchor: 0, focus: 0, count: 6 });
  s = cursorMove(s, -1);
  assert.deepEqual(s, { anchor: 0, focus: 0, count: 6 }); // left edge
  s = cursorMove(cursorMove(s, 1), 1);
  assert.deepEqual(cursorSpan(TOKENS, s), { start: 10, end: 13 });
  s = cursorEnd(s);
  assert.equal(s.focus, 5);
  s = cursorMove(s, 1);
  assert.equal(s.focus, 5); // right edge
  assert.equal(cursorHome(s).focus, 0);
});

test('cursorExtend (Shift+arrow) grows and shrinks the selection around the anchor', () => {
  let s = cursorInit(TOKENS.length, 2);
  s = cursorExtend(s, 1);
  s = cursorExtend(s, 1);
  assert.deepEqual(cursorSpan(TOKENS, s), { start: 10, end: 21 });
  s = cursorExtend(s, -3); // past the anchor: now extends leftwards
  assert.deepEqual({ anchor: s.anchor, focus: s.focus }, { anchor: 2, focus: 1 });
  assert.deepEqual(cursorSpan(TOKENS, s), { start: 6, end: 13 });
  s = cursorExtend(s, -10); // clamped at the first token
  assert.equal(s.focus, 0);
  assert.deepEqual(cursorSpan(TOKENS, cursorEnd(s, true)), { start: 10, end: 23 });
  assert.deepEqual(cursorSpan(TOKENS, cursorHome(cursorInit(6, 3), true)), { start: 0, end: 18 });
});

test('cursorMove collapses a selection to its edge in the direction of travel', () => {
  const sel = { anchor: 1, focus: 3, count: 6 };
  assert.deepEqual(cursorMove(sel, -1), { anchor: 1, focus: 1, count: 6 });
  assert.deepEqual(cursorMove(sel, 1), { anchor: 3, focus: 3, count: 6 });
  assert.deepEqual(cursorMove({ anchor: 3, focus: 1, count: 6 }, 1), { anchor: 3, focus: 3, count: 6 });
});

test('cursor functions never mutate their input', () => {
  const s = Object.freeze({ anchor: 1, focus: 1, count: 6 });
  cursorMove(s, 1);
  cursorExtend(s, 1);
  cursorHome(s, true);
  assert.deepEqual(s, { anchor: 1, focus: 1, count: 6 });
});

test('cursor on a sentence without tokens stays empty', () => {
  const s = cursorInit(0);
  assert.deepEqual(cursorMove(s, 1), { anchor: -1, focus: -1, count: 0 });
  assert.deepEqual(cursorExtend(s, 1), { anchor: -1, focus: -1, count: 0 });
  assert.equal(cursorSpan([], s), null);
});

test('cursorFromSpan selects the tokens an existing entity covers', () => {
  assert.deepEqual(cursorFromSpan(TOKENS, 10, 21), { anchor: 2, focus: 4, count: 6 });
  assert.equal(cursorFromSpan(TOKENS, 5, 6), null);
});

test('wholeGraphemeTokens merges tokens that split an emoji ZWJ sequence or a flag', async () => {
  const { wholeGraphemeTokens } = await import('../../frontend/static/frontend/js/lib/tokens.js');
  const text = 'A 👩‍👩‍👧 fled Ukraine 🇺🇦.';
  // As spaCy cut it: 👩 ZWJ 👩 ZWJ 👧 and 🇺 🇦 (code points).
  const split = [[0, 1], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7], [8, 12], [13, 20], [21, 22], [22, 23], [23, 24]];
  const cps = [...text];
  const words = (ts) => ts.map(([s, e]) => cps.slice(s, e).join(''));
  assert.deepEqual(words(wholeGraphemeTokens(text, split)), ['A', '👩‍👩‍👧', 'fled', 'Ukraine', '🇺🇦', '.']);
  const whole = [[0, 1], [2, 7]];
  assert.equal(wholeGraphemeTokens('A 👩‍👩‍👧', whole), whole);
  assert.equal(wholeGraphemeTokens('Putin met Kim.', TOKENS), TOKENS);
});
