/**
 * Code point <-> UTF-16 offset conversion (pure: no DOM, no globals).
 *
 * The server stores offsets as Python does: 0-based, end-exclusive, counting Unicode
 * code points. The browser (Selection, Range, String.prototype.slice) counts UTF-16
 * code units. The two differ only after an astral character (emoji, 𝔘, ...), which is
 * one code point but two code units. Combining marks, ZWJ sequences and CRLF need no
 * special care: each of their code points is one code unit, and Python counts
 * 👩‍👩‍👧 as 5 code points just as this module does.
 *
 * A lone surrogate (malformed text) is one code point in both Python and here.
 *
 * A UTF-16 index that falls between the two halves of a surrogate pair names no code
 * point boundary. It is snapped to the boundary before or after the pair, chosen by the
 * `snap` argument; range helpers snap outward (start before, end after) so a selection
 * that touches half of an emoji includes the whole emoji. Out-of-range indices are
 * clamped to [0, length].
 *
 * @module offsets
 */

/** @typedef {'before' | 'after'} Snap */

/**
 * @typedef {object} OffsetIndex
 * @property {string} text
 * @property {number} length16   length in UTF-16 code units (text.length)
 * @property {number} lengthCp   length in code points
 * @property {(utf16Index: number, snap?: Snap) => number} toCodePoint
 * @property {(cpIndex: number) => number} toUtf16
 * @property {(start16: number, end16: number) => {start: number, end: number}} rangeToCodePoints
 * @property {(start: number, end: number) => {start: number, end: number}} rangeToUtf16
 */

/**
 * @param {string} text
 * @param {number} i UTF-16 index
 * @returns {boolean} true if text[i] is the high half of a valid surrogate pair
 */
function isPairAt(text, i) {
  const hi = text.charCodeAt(i);
  if (hi < 0xd800 || hi > 0xdbff) return false;
  const lo = text.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff;
}

/**
 * @param {number} value
 * @param {number} max
 * @returns {number} value truncated to an integer within [0, max]
 */
function clamp(value, max) {
  if (!(value > 0)) return 0; // also maps NaN to 0
  return value >= max ? max : Math.floor(value);
}

/**
 * Number of entries in the sorted array `arr` that are < value.
 * @param {ArrayLike<number>} arr
 * @param {number} value
 * @returns {number}
 */
function countBelow(arr, value) {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Build an index for fast repeated conversions on one text: O(n) once, then
 * O(log k) per conversion, k = number of astral characters (O(1) when k = 0).
 * @param {string} text
 * @returns {OffsetIndex}
 */
export function makeOffsetIndex(text) {
  /** UTF-16 index of the high surrogate of each astral character, ascending. */
  const pairs16 = [];
  for (let i = 0; i < text.length; i++) {
    if (isPairAt(text, i)) {
      pairs16.push(i);
      i++;
    }
  }
  /** Code point index of each astral character: pairs16[k] - k. */
  const pairsCp = pairs16.map((u, k) => u - k);
  const length16 = text.length;
  const lengthCp = length16 - pairs16.length;

  /** @type {OffsetIndex['toCodePoint']} */
  function toCodePoint(utf16Index, snap = 'before') {
    const u = clamp(utf16Index, length16);
    const k = countBelow(pairs16, u); // pairs starting before u
    if (k > 0 && pairs16[k - 1] + 1 === u) {
      // u splits the pair k-1: snap to its start or its end.
      return snap === 'after' ? u + 1 - k : u - 1 - (k - 1);
    }
    return u - k;
  }

  /** @type {OffsetIndex['toUtf16']} */
  function toUtf16(cpIndex) {
    const c = clamp(cpIndex, lengthCp);
    return c + countBelow(pairsCp, c);
  }

  /** @type {OffsetIndex['rangeToCodePoints']} */
  function rangeToCodePoints(start16, end16) {
    const a = Math.min(start16, end16);
    const b = Math.max(start16, end16);
    return { start: toCodePoint(a, 'before'), end: toCodePoint(b, 'after') };
  }

  /** @type {OffsetIndex['rangeToUtf16']} */
  function rangeToUtf16(start, end) {
    return { start: toUtf16(start), end: toUtf16(end) };
  }

  return { text, length16, lengthCp, toCodePoint, toUtf16, rangeToCodePoints, rangeToUtf16 };
}

/**
 * Code point index for a UTF-16 index in `text` (one-off; use makeOffsetIndex in loops).
 * @param {string} text
 * @param {number} utf16Index clamped to [0, text.length]
 * @param {Snap} [snap='before'] where an index inside a surrogate pair goes
 * @returns {number}
 */
export function utf16ToCodePoint(text, utf16Index, snap = 'before') {
  const u = clamp(utf16Index, text.length);
  let cp = 0;
  let i = 0;
  while (i < u) {
    i += isPairAt(text, i) ? 2 : 1;
    cp++;
  }
  // i > u means u split a pair: we are already "after"; step back for "before".
  return i > u && snap !== 'after' ? cp - 1 : cp;
}

/**
 * UTF-16 index for a code point index in `text` (one-off; use makeOffsetIndex in loops).
 * @param {string} text
 * @param {number} cpIndex clamped to [0, code point length]
 * @returns {number}
 */
export function codePointToUtf16(text, cpIndex) {
  const target = cpIndex > 0 ? Math.floor(cpIndex) : 0;
  let i = 0;
  for (let cp = 0; cp < target && i < text.length; cp++) {
    i += isPairAt(text, i) ? 2 : 1;
  }
  return i;
}

/**
 * Length of `text` in code points (Python's len()).
 * @param {string} text
 * @returns {number}
 */
export function codePointLength(text) {
  return utf16ToCodePoint(text, text.length);
}

/**
 * Python-style slice by code point offsets: sliceCodePoints(t, s, e) === t[s:e] in Python
 * (for non-negative s <= e).
 * @param {string} text
 * @param {number} start
 * @param {number} end
 * @returns {string}
 */
export function sliceCodePoints(text, start, end) {
  return text.slice(codePointToUtf16(text, start), codePointToUtf16(text, end));
}
