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
