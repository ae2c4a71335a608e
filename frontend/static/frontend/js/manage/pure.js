/**
 * Pure helpers of the lead's pages (no DOM, no globals; tested with `node --test`).
 *
 * @module manage/pure
 */

/**
 * Parse the schema editor's text.
 * @param {string} text
 * @returns {{ok: true, value: unknown} | {ok: false, error: {field: string, message: string}}}
 *   a syntax error names its line and column (1-based) when the engine reports a position
 */
export function parseJson(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const message = String(err && err.message ? err.message : err);
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const position = Number(at[1]);
      const before = text.slice(0, position).split('\n');
      where = ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
    }
    // V8 quotes a snippet of the text ('..."a": }" is not valid JSON'); the lead has the
    // text in front of them, so keep only the reason and the position.
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
    return { ok: false, error: { field: '', message: `Not valid JSON: ${reason}${where}` } };
  }
}

/** @param {unknown} value @returns {string[]} the strings of a list (anything else dropped) */
function strings(value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}

/**
 * What the preview shows of a (possibly invalid) schema: only well-formed parts, so the
 * preview stays useful while the lead types.
 * @param {unknown} schema
 * @returns {{entities: {name: string, hotkey: string|null, color: string|null}[],
 *            targets: string[], labels: string[], events: {name: string, roles: string[]}[]}}
 */
export function previewModel(schema) {
  const out = { entities: [], targets: [], labels: [], events: [] };
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return out;
  for (const item of Array.isArray(schema.entity_types) ? schema.entity_types : []) {
    if (!item || typeof item.name !== 'string') continue;
    out.entities.push({
      name: item.name,
      hotkey: typeof item.hotkey === 'string' && item.hotkey ? item.hotkey : null,
      color: isColor(item.color) ? item.color : null,
    });
  }
  const stance = schema.stance && typeof schema.stance === 'object' ? schema.stance : {};
  out.targets = strings(stance.targets);
  out.labels = strings(stance.labels);
  for (const item of Array.isArray(schema.event_types) ? schema.event_types : []) {
    if (!item || typeof item.name !== 'string') continue;
    out.events.push({ name: item.name, roles: strings(item.roles) });
  }
  return out;
}

/** @param {unknown} value @returns {boolean} a '#rrggbb' colour */
export function isColor(value) {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

/**
 * A project slug from its name: lowercase ASCII letters, digits and single dashes.
 * @param {string} name
 * @returns {string}
 */
export function slugify(name) {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
}

/**
 * @param {number|null} seconds
 * @returns {string} "—", "42 s", "3 min 5 s", "2 h 1 min"
 */
export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * @template {(...args: any[]) => void} F
 * @param {F} fn
 * @param {number} ms
 * @returns {F & {flush: () => void}}  calls fn once, ms after the last call; flush() runs it now
 */
export function debounce(fn, ms) {
  let timer = null;
  let pending = null;
  const debounced = (...args) => {
    pending = args;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const call = pending;
      pending = null;
      fn(...call);
    }, ms);
  };
  debounced.flush = () => {
    if (timer === null) return;
    clearTimeout(timer);
    timer = null;
    const call = pending;
    pending = null;
    fn(...call);
  };
  return debounced;
}

/** What each kind of schema name is called on the settings page. */
export const KIND_WORDS = {
  entity_types: 'Entity type',
  stance_targets: 'Stance target',
  stance_labels: 'Stance label',
  event_types: 'Event type',
  roles: 'Role',
};

/**
 * A stable key of one removed name of a schema impact (roles are per event type).
 * @param {{kind: string, name: string, event_type?: string}} item
 * @returns {string}
 */
export function impactKey(item) {
  return [item.kind, item.kind === 'roles' ? item.event_type : '', item.name].join('\u0000');
}

/**
 * The names of the new schema a removed name can be renamed (or merged) into: the same kind;
 * for a role, the roles of its event type in the new schema (the same name, or the name
 * the event type is renamed to in `renames`).
 * @param {any} schema  the new label schema
 * @param {{kind: string, name: string, event_type?: string}} item
 * @param {any} [renames]
 * @returns {string[]}
 */
export function impactCandidates(schema, item, renames = {}) {
  const names = (list) => strings(Array.isArray(list) ? list.map((t) => t && t.name) : []);
  const stance = schema && typeof schema.stance === 'object' && schema.stance ? schema.stance : {};
  switch (item.kind) {
    case 'entity_types': return names(schema.entity_types);
    case 'event_types': return names(schema.event_types);
    case 'stance_targets': return strings(stance.targets);
    case 'stance_labels': return strings(stance.labels);
    case 'roles': {
      const types = Array.isArray(schema.event_types) ? schema.event_types : [];
      const successor = types.some((t) => t && t.name === item.event_type)
        ? item.event_type : (renames.event_types || {})[item.event_type];
      const type = types.find((t) => t && t.name === successor);
      return type ? strings(type.roles) : [];
    }
    default: return [];
  }
}

/**
 * The `renames` of a PATCH from the lead's choices ({item, to}; `to` '' keeps the name orphaned).
 * @param {Iterable<{item: {kind: string, name: string, event_type?: string}, to: string}>} choices
 * @returns {Record<string, any>}
 */
export function renamesFrom(choices) {
  const renames = {};
  for (const { item, to } of choices) {
    if (!to) continue;
    if (item.kind === 'roles') {
      renames.roles = renames.roles || {};
      renames.roles[item.event_type] = { ...(renames.roles[item.event_type] || {}), [item.name]: to };
    } else {
      renames[item.kind] = { ...(renames[item.kind] || {}), [item.name]: to };
    }
  }
  return renames;
}
