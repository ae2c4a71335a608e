/**
 * Layout of entity highlights for nested, overlapping and adjacent spans
 * (pure: no DOM, no globals).
 *
 * The view cuts the sentence into segments at every span edge; each segment lists the
 * spans covering it, and each span has a lane (0 = outermost) so stacked underlines and
 * labels never collide. Offsets are code points, end-exclusive; spans that merely touch
 * (a.end === b.start) do not overlap and share a lane.
 *
 * @module spans
 */

/**
 * @typedef {object} Span
 * @property {number} start
 * @property {number} end
 * @property {string} [label]
 * @property {string|number} [id]  defaults to the span's index in the input array
 */

/**
 * @typedef {object} Segment
 * @property {number} start
 * @property {number} end
 * @property {Array<string|number>} ids     covering spans, ordered by lane (outermost first)
 * @property {Array<string|number>} starts  ids of spans that begin at this segment
 * @property {Array<string|number>} ends    ids of spans that end with this segment
 */

/**
 * @typedef {object} Layout
 * @property {Segment[]} segments  contiguous, covering [0, textLength)
 * @property {Map<string|number, number>} lanes  span id -> lane (0-based)
 * @property {number} depth  number of lanes used (0 when there are no spans)
 */

/**
 * Canonical order: start ascending, then longer first (end descending), then label,
 * then id. Labels compare by code unit, not locale, so the order is the same everywhere.
 * @param {Span} a
 * @param {Span} b
 * @returns {number}
 */
export function compareSpans(a, b) {
  if (a.start !== b.start) return a.start - b.start;
  if (a.end !== b.end) return b.end - a.end;
  const la = a.label ?? '';
  const lb = b.label ?? '';
  if (la !== lb) return la < lb ? -1 : 1;
  const ia = String(a.id ?? '');
  const ib = String(b.id ?? '');
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * A sorted copy of `spans` (the input is not changed).
 * @template {Span} T
 * @param {ReadonlyArray<T>} spans
 * @returns {T[]}
 */
export function sortSpans(spans) {
  return [...spans].sort(compareSpans);
}

/**
 * True if the spans share at least one code point (touching spans do not overlap).
 * @param {Span} a
 * @param {Span} b
 * @returns {boolean}
 */
export function overlaps(a, b) {
  return a.start < b.end && b.start < a.end;
}

/**
 * Index of the first span with exactly these offsets (and label, when given), or -1.
 * @param {ReadonlyArray<Span>} spans
 * @param {number} start
 * @param {number} end
 * @param {string} [label]  omitted or undefined: any label
 * @returns {number}
 */
export function findSpan(spans, start, end, label) {
  return spans.findIndex(
    (s) => s.start === start && s.end === end && (label === undefined || s.label === label),
  );
}

/**
 * Indices of spans that contain the code point at `offset` (for click/hover targets).
 * @param {ReadonlyArray<Span>} spans
 * @param {number} offset
 * @returns {number[]}
 */
export function spansAt(spans, offset) {
  const out = [];
  spans.forEach((s, i) => {
    if (s.start <= offset && offset < s.end) out.push(i);
  });
  return out;
}

/**
 * Segments and lanes for drawing `spans` over a text of `textLength` code points.
 * Spans are clamped to [0, textLength]; empty spans are ignored.
 * Lanes: first-fit in canonical order, which is optimal for intervals (depth equals
 * the largest number of spans covering one code point), and puts an enclosing span in
 * a lower lane than the spans nested in it.
 * @param {number} textLength
 * @param {ReadonlyArray<Span>} spans
 * @returns {Layout}
 */
export function layoutSpans(textLength, spans) {
  const items = spans
    .map((s, i) => ({
      start: Math.max(0, Math.min(s.start, textLength)),
      end: Math.max(0, Math.min(s.end, textLength)),
      label: s.label,
      id: s.id ?? i,
    }))
    .filter((s) => s.start < s.end)
    .sort(compareSpans);

  /** @type {Map<string|number, number>} */
  const lanes = new Map();
  /** laneEnds[l] = end of the last span placed in lane l */
  const laneEnds = [];
  for (const s of items) {
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = s.end;
    lanes.set(s.id, lane);
  }

  const cuts = new Set([0, textLength]);
  for (const s of items) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const bounds = [...cuts].sort((x, y) => x - y);

  /** @type {Segment[]} */
  const segments = [];
  let active = [];
  let next = 0; // next item (sorted by start) not yet active
  for (let b = 0; b + 1 < bounds.length; b++) {
    const start = bounds[b];
    const end = bounds[b + 1];
    active = active.filter((s) => s.end > start);
    const starts = [];
    while (next < items.length && items[next].start === start) {
      active.push(items[next]);
      starts.push(items[next].id);
      next++;
    }
    const ordered = [...active].sort((x, y) => lanes.get(x.id) - lanes.get(y.id));
    segments.push({
      start,
      end,
      ids: ordered.map((s) => s.id),
      starts,
      ends: ordered.filter((s) => s.end === end).map((s) => s.id),
    });
  }
  return { segments, lanes, depth: laneEnds.length };
}
