/**
 * Type-ahead filtering and ranking of event types and roles (pure: no DOM, no globals).
 *
 * Case-insensitive. Tiers, best first:
 *   0. the subtype (the part after ':', or the whole name when there is none) starts
 *      with the query; a query "move:tra" matches type prefix and subtype prefix;
 *   1. a word of the name starts with the query (words split at ':', '-', '_', '.',
 *      '/', space and lower→Upper case changes);
 *   2. the name contains the query anywhere.
 * Within a tier the schema order is kept (stable), since the schema author's order is
 * meaningful (e.g. ACE lists Transfer-Ownership before Transfer-Money).
 *
 * @module typeahead
 */

/**
 * @template T
 * @typedef {object} Match
 * @property {T} item
 * @property {string} name
 * @property {0|1|2} tier
 * @property {number} matchStart  UTF-16 index in `name` of the matched text (for highlighting)
 * @property {number} matchEnd
 */

/**
 * UTF-16 indices where words of `name` start.
 * @param {string} name
 * @returns {number[]}
 */
function wordStarts(name) {
  const starts = [];
  for (let i = 0; i < name.length; i++) {
    const prev = name[i - 1];
    const ch = name[i];
    if (/[\s:\-_./]/.test(ch)) continue;
    const boundary = i === 0 || /[\s:\-_./]/.test(prev) || (/\p{Ll}/u.test(prev) && /\p{Lu}/u.test(ch));
    if (boundary) starts.push(i);
  }
  return starts;
}

/**
 * @param {string} name
 * @param {string} q  lower-case query, non-empty
 * @returns {{tier: 0|1|2, start: number, end: number} | null}
 */
function matchName(name, q) {
  const lower = name.toLowerCase();
  const colon = name.indexOf(':');
  const sub = colon === -1 ? 0 : colon + 1;
  if (lower.startsWith(q, sub)) return { tier: 0, start: sub, end: sub + q.length };
  const qColon = q.indexOf(':');
  if (qColon !== -1 && colon !== -1) {
    const qType = q.slice(0, qColon);
    const qSub = q.slice(qColon + 1);
    if (lower.startsWith(qType) && qType.length <= colon && lower.startsWith(qSub, sub)) {
      return { tier: 0, start: sub, end: sub + qSub.length };
    }
  }
  for (const w of wordStarts(name)) {
    if (lower.startsWith(q, w)) return { tier: 1, start: w, end: w + q.length };
  }
  const at = lower.indexOf(q);
  if (at !== -1) return { tier: 2, start: at, end: at + q.length };
  return null;
}

/**
 * Matching items, ranked. An empty (or blank) query matches everything in order, tier 0.
 * @template T
 * @param {ReadonlyArray<T>} items  strings, or objects named by `getName`
 * @param {string} query
 * @param {{getName?: (item: T) => string, limit?: number}} [options]
 *   getName defaults to the item itself or its `name` property
 * @returns {Array<Match<T>>}
 */
export function rankMatches(items, query, { getName, limit = Infinity } = {}) {
  const nameOf = getName ?? ((item) => (typeof item === 'string' ? item : /** @type {any} */ (item).name));
  const q = query.trim().toLowerCase();
  const matches = [];
  items.forEach((item, order) => {
    const name = nameOf(item);
    if (q === '') {
      matches.push({ item, name, tier: 0, matchStart: 0, matchEnd: 0, order });
      return;
    }
    const m = matchName(name, q);
    if (m) matches.push({ item, name, tier: m.tier, matchStart: m.start, matchEnd: m.end, order });
  });
  matches.sort((a, b) => a.tier - b.tier || a.order - b.order);
  return matches.slice(0, limit).map(({ order, ...m }) => m);
}

/**
 * Just the ranked items.
 * @template T
 * @param {ReadonlyArray<T>} items
 * @param {string} query
 * @param {{getName?: (item: T) => string, limit?: number}} [options]
 * @returns {T[]}
 */
export function filterRanked(items, query, options) {
  return rankMatches(items, query, options).map((m) => m.item);
}
