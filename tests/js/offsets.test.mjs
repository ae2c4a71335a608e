import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeOffsetIndex, utf16ToCodePoint, codePointToUtf16, codePointLength, sliceCodePoints,
} from '../../frontend/static/frontend/js/lib/offsets.js';

/** mulberry32: a small seeded PRNG so failures reproduce. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'Z', ' ', 'é', 'e\u0301', '\r\n', '\n', '🚀', '𝔘', '👩‍👩‍👧', '\u200d', '中', '🇰🇵', '–', '\ud800', '\udc00'];

function randomText(rand, maxPieces = 30) {
  const n = Math.floor(rand() * maxPieces);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)];
  return s;
}

/** Reference: Array.from splits by code point (lone surrogates count as one, as in Python). */
function refCpToUtf16(text, cp) {
  return Array.from(text).slice(0, cp).join('').length;
}

test('emoji before an entity: "Putin" is 2..7 in code points and 3..8 in UTF-16', () => {
  const text = '🚀 Putin met Kim';
  assert.equal(text.slice(3, 8), 'Putin');
  const idx = makeOffsetIndex(text);
  assert.deepEqual(idx.rangeToCodePoints(3, 8), { start: 2, end: 7 });
  assert.deepEqual(idx.rangeToUtf16(2, 7), { start: 3, end: 8 });
  assert.equal(utf16ToCodePoint(text, 3), 2);
  assert.equal(codePointToUtf16(text, 7), 8);
  assert.equal(sliceCodePoints(text, 2, 7), 'Putin');
});

test('astral characters (𝔘, flags) each count as one code point per scalar', () => {
  assert.equal(codePointLength('𝔘N'), 2);
  assert.equal(codePointLength('🇰🇵'), 2); // two regional indicators
  assert.equal(makeOffsetIndex('𝔘𝔘x').toUtf16(2), 4);
});

test('ZWJ family counts as 5 code points, 8 UTF-16 units, as in Python', () => {
  const fam = '👩‍👩‍👧';
  assert.equal(fam.length, 8);
  assert.equal(codePointLength(fam), 5);
  const idx = makeOffsetIndex(fam + 'x');
  assert.equal(idx.lengthCp, 6);
  assert.equal(idx.toUtf16(5), 8);
  assert.equal(idx.toCodePoint(8), 5);
});

test('combining marks and CRLF convert one to one', () => {
  const text = 'e\u0301\r\nKim';
  const idx = makeOffsetIndex(text);
  for (let i = 0; i <= text.length; i++) {
    assert.equal(idx.toCodePoint(i), i);
    assert.equal(idx.toUtf16(i), i);
  }
  assert.equal(sliceCodePoints(text, 4, 7), 'Kim');
});

test('an index inside a surrogate pair snaps before or after; ranges snap outward', () => {
  const text = 'a🚀b'; // UTF-16: a=0, 🚀=1..3, b=3
  const idx = makeOffsetIndex(text);
  assert.equal(idx.toCodePoint(2), 1); // default: before
  assert.equal(idx.toCodePoint(2, 'before'), 1);
  assert.equal(idx.toCodePoint(2, 'after'), 2);
  assert.equal(utf16ToCodePoint(text, 2), 1);
  assert.equal(utf16ToCodePoint(text, 2, 'after'), 2);
  assert.deepEqual(idx.rangeToCodePoints(2, 2), { start: 1, end: 2 }); // the whole emoji
  assert.deepEqual(idx.rangeToCodePoints(3, 0), { start: 0, end: 2 }); // reversed
});

test('out-of-range indices are clamped', () => {
  const text = '🚀ab';
  const idx = makeOffsetIndex(text);
  assert.equal(idx.toCodePoint(-5), 0);
  assert.equal(idx.toCodePoint(99), 3);
  assert.equal(idx.toUtf16(99), 4);
  assert.equal(idx.toUtf16(NaN), 0);
  assert.equal(utf16ToCodePoint(text, 99), 3);
  assert.equal(codePointToUtf16(text, 99), 4);
  assert.equal(codePointToUtf16(text, -1), 0);
});

test('empty text', () => {
  const idx = makeOffsetIndex('');
  assert.equal(idx.toCodePoint(0), 0);
  assert.equal(idx.toUtf16(0), 0);
  assert.equal(codePointLength(''), 0);
});

test('random strings: index and one-off functions agree with Array.from, and round-trip', () => {
  const rand = rng(20240601);
  for (let round = 0; round < 500; round++) {
    const text = randomText(rand);
    const idx = makeOffsetIndex(text);
    const cps = Array.from(text).length;
    assert.equal(idx.lengthCp, cps, JSON.stringify(text));
    assert.equal(codePointLength(text), cps);
    for (let c = 0; c <= cps; c++) {
      const u = refCpToUtf16(text, c);
      assert.equal(idx.toUtf16(c), u, `toUtf16 ${JSON.stringify(text)} ${c}`);
      assert.equal(codePointToUtf16(text, c), u);
      assert.equal(idx.toCodePoint(u), c, `round trip ${JSON.stringify(text)} ${c}`);
      assert.equal(utf16ToCodePoint(text, u), c);
    }
    for (let u = 0; u <= text.length; u++) {
      const before = idx.toCodePoint(u, 'before');
      const after = idx.toCodePoint(u, 'after');
      assert.equal(utf16ToCodePoint(text, u, 'before'), before);
      assert.equal(utf16ToCodePoint(text, u, 'after'), after);
      // Snapped indices are real boundaries, at most one code point apart.
      assert.ok(idx.toUtf16(before) <= u && idx.toUtf16(after) >= u);
      assert.ok(after - before <= 1);
    }
  }
});

test('random selections map to the same substring Python slicing would give', () => {
  const rand = rng(7);
  for (let round = 0; round < 300; round++) {
    const text = randomText(rand);
    const a = Math.floor(rand() * (text.length + 1));
    const b = Math.floor(rand() * (text.length + 1));
    const idx = makeOffsetIndex(text);
    const { start, end } = idx.rangeToCodePoints(a, b);
    const py = Array.from(text).slice(start, end).join(''); // what text[start:end] is in Python
    assert.equal(sliceCodePoints(text, start, end), py);
    // The snapped range covers the raw selection.
    const back = idx.rangeToUtf16(start, end);
    assert.ok(back.start <= Math.min(a, b) && back.end >= Math.max(a, b));
  }
});

test('a long text with many astral characters converts quickly', () => {
  const text = '🚀 word '.repeat(20000);
  const idx = makeOffsetIndex(text);
  const t0 = performance.now();
  for (let c = 0; c < idx.lengthCp; c += 7) assert.equal(idx.toCodePoint(idx.toUtf16(c)), c);
  assert.ok(performance.now() - t0 < 2000);
});
