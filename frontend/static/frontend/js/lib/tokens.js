/**
 * Token snapping and the keyboard token cursor (pure: no DOM, no globals).
 *
 * Tokens come from the server as `[[start, end], ...]`: code point offsets relative to
 * the sentence, sorted, non-overlapping, never empty, never whitespace. Every lookup is
 * a binary search, so a 200-token sentence costs ~8 comparisons per call.
 *
 * @module tokens
 */

/** @typedef {[number, number]} Token  [start, end) in code points */
/** @typedef {{start: number, end: number}} Span */
/** @typedef {{start: number, end: number, first: number, last: number}} TokenSpan */

/**
 * @typedef {object} CursorState
 * @property {number} anchor  token index where the selection started (-1 when no tokens)
 * @property {number} focus   token index that moves with the arrows (-1 when no tokens)
 * @property {number} count   number of tokens in the sentence
 */

/**
 * Index of the first token whose end is > offset (tokens.length if none).
 * @param {ReadonlyArray<Token>} tokens
 * @param {number} offset
 * @returns {number}
 */
function firstEndingAfter(tokens, offset) {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid][1] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of the last token whose start is < offset (-1 if none).
 * @param {ReadonlyArray<Token>} tokens
 * @param {number} offset
 * @returns {number}
 */
function lastStartingBefore(tokens, offset) {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid][0] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Index of the token containing the code point at `offset`, or -1 (whitespace, outside).
 * @param {ReadonlyArray<Token>} tokens
 * @param {number} offset
 * @returns {number}
 */
export function tokenAt(tokens, offset) {
  const i = firstEndingAfter(tokens, offset);
  return i < tokens.length && tokens[i][0] <= offset ? i : -1;
}

/**
 * The smallest token-aligned span covering the raw selection [start, end): every token
 * the selection touches (shares at least one code point with) is included whole.
 * Arguments may come reversed (a backwards selection).
 * @param {ReadonlyArray<Token>} tokens
 * @param {number} start code points
 * @param {number} end code points
 * @returns {TokenSpan | null} null when the selection is empty or covers only whitespace
 */
export function snapToTokens(tokens, start, end) {
  const a = Math.min(start, end);
  const b = Math.max(start, end);
  if (a === b) return null;
  const first = firstEndingAfter(tokens, a);
  const last = lastStartingBefore(tokens, b);
  if (first >= tokens.length || last < 0 || first > last) return null;
  return { start: tokens[first][0], end: tokens[last][1], first, last };
}

/**
 * A cursor on token `index` (clamped), nothing selected beyond it.
 * @param {number} count number of tokens
 * @param {number} [index=0]
 * @returns {CursorState}
 */
export function cursorInit(count, index = 0) {
  if (count <= 0) return { anchor: -1, focus: -1, count: 0 };
  const i = clampIndex(index, count);
  return { anchor: i, focus: i, count };
}

/**
 * A cursor selecting exactly the tokens that a span touches (e.g. to edit an entity).
 * @param {ReadonlyArray<Token>} tokens
 * @param {number} start
 * @param {number} end
 * @returns {CursorState | null} null when the span touches no token
 */
export function cursorFromSpan(tokens, start, end) {
  const snapped = snapToTokens(tokens, start, end);
  if (!snapped) return null;
  return { anchor: snapped.first, focus: snapped.last, count: tokens.length };
}

/**
 * @param {number} i
 * @param {number} count
 * @returns {number}
 */
function clampIndex(i, count) {
  if (!(i > 0)) return 0;
  return i >= count - 1 ? count - 1 : Math.floor(i);
}

/**
 * Arrow key without Shift. With a collapsed cursor, moves by `delta` tokens (clamped at
 * the sentence edges). With a multi-token selection, collapses it to its edge in the
 * direction of travel, as text editors do. `delta` = ±Infinity gives Home/End.
 * @param {CursorState} state
 * @param {number} delta
 * @returns {CursorState} a new state (the input is not changed)
 */
export function cursorMove(state, delta) {
  if (state.count <= 0) return { anchor: -1, focus: -1, count: 0 };
  if (state.anchor !== state.focus && delta !== 0 && Math.abs(delta) !== Infinity) {
    const edge = delta < 0 ? Math.min(state.anchor, state.focus) : Math.max(state.anchor, state.focus);
    return { anchor: edge, focus: edge, count: state.count };
  }
  const i = clampIndex(state.focus + delta, state.count);
  return { anchor: i, focus: i, count: state.count };
}

/**
 * Shift+arrow: moves the focus by `delta` tokens (clamped), keeping the anchor.
 * `delta` = ±Infinity gives Shift+Home/End.
 * @param {CursorState} state
 * @param {number} delta
 * @returns {CursorState}
 */
export function cursorExtend(state, delta) {
  if (state.count <= 0) return { anchor: -1, focus: -1, count: 0 };
  return { anchor: state.anchor, focus: clampIndex(state.focus + delta, state.count), count: state.count };
}

/**
 * Home (or Shift+Home with extend) — first token.
 * @param {CursorState} state
 * @param {boolean} [extend=false]
 * @returns {CursorState}
 */
export function cursorHome(state, extend = false) {
  return extend ? cursorExtend(state, -Infinity) : cursorMove(state, -Infinity);
}

/**
 * End (or Shift+End with extend) — last token.
 * @param {CursorState} state
 * @param {boolean} [extend=false]
 * @returns {CursorState}
 */
export function cursorEnd(state, extend = false) {
  return extend ? cursorExtend(state, Infinity) : cursorMove(state, Infinity);
}

/**
 * The code point span the cursor selects, from the first token's start to the last
 * token's end, whichever way the selection was made.
 * @param {ReadonlyArray<Token>} tokens
 * @param {CursorState} state
 * @returns {Span | null} null when there are no tokens
 */
export function cursorSpan(tokens, state) {
  if (state.count <= 0 || tokens.length === 0) return null;
  const first = clampIndex(Math.min(state.anchor, state.focus), tokens.length);
  const last = clampIndex(Math.max(state.anchor, state.focus), tokens.length);
  return { start: tokens[first][0], end: tokens[last][1] };
}

/**
 * The server's tokens with any grapheme cluster the tokenizer split merged again
 * (sentences stored before the server kept clusters whole): the cursor must never step
 * onto half an emoji or a lone ZWJ. Uses Intl.Segmenter; returns `tokens` itself when
 * nothing needs merging (or the engine has no Segmenter).
 * @param {string} text
 * @param {ReadonlyArray<readonly [number, number]>} tokens  code point offsets
 * @returns {ReadonlyArray<readonly [number, number]>}
 */
export function wholeGraphemeTokens(text, tokens) {
  if (tokens.length < 2 || typeof Intl === 'undefined' || !('Segmenter' in Intl) || !/[^\x00-\x7f]/.test(text)) return tokens;
  const boundaries = new Set();
  let cp = 0;
  let last16 = 0;
  for (const { index } of new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)) {
    for (const _ of text.slice(last16, index)) cp += 1;
    last16 = index;
    boundaries.add(cp);
  }
  /** @type {Array<[number, number]>} */
  const out = [];
  for (const [s, e] of tokens) {
    const prev = out[out.length - 1];
    if (prev && prev[1] === s && !boundaries.has(s)) prev[1] = e;
    else out.push([s, e]);
  }
  return out.length === tokens.length ? tokens : out;
}
