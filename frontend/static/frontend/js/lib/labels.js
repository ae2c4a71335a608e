/**
 * Which entity labels a typed filter offers (pure: no DOM). Names rank as in typeahead.js;
 * a label whose description contains the query comes after every name match.
 *
 * @module labels
 */

import { rankMatches } from './typeahead.js';

/**
 * @param {ReadonlyArray<{name: string, description?: string}>} types  the schema's entity types
 * @param {string} query
 * @returns {Array<{name: string, description?: string}>}
 */
export function filterLabels(types, query) {
  const byName = rankMatches(types, query).map((m) => m.item);
  const q = query.trim().toLowerCase();
  if (!q) return byName;
  const seen = new Set(byName);
  return byName.concat(types.filter((t) => !seen.has(t) && (t.description ?? '').toLowerCase().includes(q)));
}
