/**
 * Keyboard map of the annotator workspace (pure: no DOM, no globals).
 *
 * Canonical key strings: modifiers in the order `ctrl+alt+shift+meta+`, then the key in
 * lower case: `ctrl+z`, `ctrl+shift+z`, `shift+arrowright`, `g`, `shift+g`, `?`, `space`.
 * For a letter, Shift is explicit (`shift+g`) and Caps Lock is ignored. For any other
 * printable character Shift is already in the character (`?` is Shift+/ on many
 * layouts, but not all), so Shift is dropped: `?` is `?` everywhere.
 *
 * @module keymap
 */

/**
 * @typedef {object} KeyEventLike
 * @property {string} key
 * @property {boolean} [ctrlKey]
 * @property {boolean} [shiftKey]
 * @property {boolean} [altKey]
 * @property {boolean} [metaKey]
 */

/**
 * @typedef {object} Binding
 * @property {string} action     e.g. 'undo', 'entity', 'stance'
 * @property {string|number} [arg]  entity type name, stance label, ...
 * @property {string} description
 */

/**
 * @typedef {object} Keymap
 * @property {Map<string, Binding>} bindings  canonical key -> binding
 * @property {Array<{field: string, message: string}>} errors    clashes, bad hotkeys
 * @property {Array<{field: string, message: string}>} warnings  e.g. labels left without a key
 */

/** Reserved keys: the workspace's own actions. Schema hotkeys may not use them. */
export const RESERVED = Object.freeze([
  { action: 'submit', keys: ['enter'], description: 'Submit the sentence and go to the next' },
  { action: 'cancel', keys: ['escape'], description: 'Cancel the current selection or mode' },
  { action: 'help', keys: ['?'], description: 'Show this shortcut sheet' },
  { action: 'cursor-prev', keys: ['arrowleft'], description: 'Previous token' },
  { action: 'cursor-next', keys: ['arrowright'], description: 'Next token' },
  { action: 'extend-prev', keys: ['shift+arrowleft'], description: 'Extend the selection one token left' },
  { action: 'extend-next', keys: ['shift+arrowright'], description: 'Extend the selection one token right' },
  { action: 'cursor-home', keys: ['home'], description: 'First token' },
  { action: 'cursor-end', keys: ['end'], description: 'Last token' },
  { action: 'extend-home', keys: ['shift+home'], description: 'Extend the selection to the first token' },
  { action: 'extend-end', keys: ['shift+end'], description: 'Extend the selection to the last token' },
  { action: 'remove', keys: ['delete', 'backspace'], description: 'Remove the selected span' },
  { action: 'undo', keys: ['ctrl+z'], description: 'Undo' },
  { action: 'redo', keys: ['ctrl+shift+z', 'ctrl+y'], description: 'Redo' },
  { action: 'focus-next', keys: ['tab'], description: 'Next panel' },
  { action: 'focus-prev', keys: ['shift+tab'], description: 'Previous panel' },
  { action: 'skip', keys: ['s'], description: 'Skip this sentence' },
  { action: 'unsure', keys: ['u'], description: 'Mark as unsure' },
  { action: 'event-mode', keys: ['e'], description: 'Event mode: mark a trigger' },
].map((r) => Object.freeze({ ...r, keys: Object.freeze(r.keys) })));

const MODIFIERS = ['ctrl', 'alt', 'shift', 'meta'];

/** Browser `key` values (including legacy ones) mapped to canonical names. */
const ALIASES = {
  ' ': 'space', spacebar: 'space', esc: 'escape', del: 'delete', return: 'enter',
  left: 'arrowleft', right: 'arrowright', up: 'arrowup', down: 'arrowdown',
  control: 'ctrl', option: 'alt', cmd: 'meta', command: 'meta', os: 'meta',
};

/** Keys that are never bindable on their own. */
const IGNORED = new Set(['ctrl', 'alt', 'shift', 'meta', 'altgraph', 'capslock', 'dead', 'unidentified', 'process', 'fn']);

/**
 * @param {string} ch
 * @returns {boolean} true for a single cased letter (a, é, Ж)
 */
function isLetter(ch) {
  return ch.toLowerCase() !== ch.toUpperCase();
}

/**
 * @param {string} key
 * @returns {boolean} true if `key` is one character (one code point)
 */
function isSingleChar(key) {
  return [...key].length === 1;
}

/**
 * @param {{ctrl: boolean, alt: boolean, shift: boolean, meta: boolean}} mods
 * @param {string} key  already canonical
 * @returns {string}
 */
function compose(mods, key) {
  return MODIFIERS.filter((m) => mods[m]).map((m) => m + '+').join('') + key;
}

/**
 * Canonical key string of a keyboard event, or null for a bare modifier, a dead key and
 * the like.
 * @param {KeyEventLike} event
 * @param {{metaIsCtrl?: boolean}} [options]  metaIsCtrl: treat Cmd as Ctrl (macOS)
 * @returns {string | null}
 */
export function keyFromEvent(event, options = {}) {
  const raw = event.key;
  if (typeof raw !== 'string' || raw === '') return null;
  const mods = {
    ctrl: Boolean(event.ctrlKey || (options.metaIsCtrl && event.metaKey)),
    alt: Boolean(event.altKey),
    shift: Boolean(event.shiftKey),
    meta: Boolean(event.metaKey && !options.metaIsCtrl),
  };
  let key;
  if (raw === ' ') {
    key = 'space';
  } else if (isSingleChar(raw)) {
    key = raw.toLowerCase();
    if (!isLetter(raw)) mods.shift = false;
  } else {
    const lower = raw.toLowerCase();
    key = ALIASES[lower] ?? lower;
  }
  if (IGNORED.has(key)) return null;
  return compose(mods, key);
}

/**
 * Canonical form of a hotkey written in a schema: "g", "G" (= shift+g), "Ctrl+G",
 * "ctrl+shift+z", "Space", "?", "ctrl++".
 * @param {string} spec
 * @returns {string | null} null when the spec is not a valid key
 */
export function normalizeKeySpec(spec) {
  if (typeof spec !== 'string') return null;
  const s = spec.trim() === '' ? spec : spec.trim();
  if (s === '') return null;
  if (s === '+') return '+';
  let parts = s.split('+');
  if (s.endsWith('++')) parts = [...parts.slice(0, -2), '+']; // "ctrl++"
  const key = parts.pop();
  const mods = { ctrl: false, alt: false, shift: false, meta: false };
  for (const part of parts) {
    const p = part.trim().toLowerCase();
    const m = ALIASES[p] ?? p;
    if (!MODIFIERS.includes(m)) return null;
    mods[m] = true;
  }
  if (key === undefined || key === '') return null;
  if (isSingleChar(key)) {
    // An upper-case letter alone means Shift+letter, as keyFromEvent reports it.
    if (isLetter(key) && key !== key.toLowerCase()) mods.shift = true;
    return keyFromEvent({ key, ctrlKey: mods.ctrl, altKey: mods.alt, shiftKey: mods.shift, metaKey: mods.meta });
  }
  const lower = key.trim().toLowerCase();
  const name = ALIASES[lower] ?? lower;
  if (IGNORED.has(name) || !/^[a-z0-9]+$/.test(name)) return null;
  return compose(mods, name);
}

/**
 * Human label of a canonical key for the shortcut sheet: "ctrl+shift+z" -> "Ctrl+Shift+Z".
 * @param {string} key
 * @returns {string}
 */
export function formatKey(key) {
  const names = { arrowleft: '←', arrowright: '→', arrowup: '↑', arrowdown: '↓', escape: 'Esc', pageup: 'Page Up', pagedown: 'Page Down' };
  const parts = key === '+' ? ['+'] : key.endsWith('++') ? [...key.slice(0, -2).split('+'), '+'] : key.split('+');
  return parts
    .map((p) => names[p] ?? (p.length > 0 ? p[0].toUpperCase() + p.slice(1) : p))
    .join('+');
}

/**
 * Build the keymap from a project's label schema: reserved actions, stance labels on
 * 1..9 (in schema order; a label past the ninth gets no key and a warning), and the
 * entity types' `hotkey`s. Bad hotkeys and clashes (with a reserved key, a stance
 * digit or another entity type) are reported in `errors` with the schema field, and
 * the clashing hotkey is left unbound; the reserved binding always wins.
 * @param {object} schema  label schema as in CONTRACT.md
 * @returns {Keymap}
 */
export function buildKeymap(schema) {
  /** @type {Map<string, Binding>} */
  const bindings = new Map();
  /** @type {Map<string, string>} key -> who owns it, for messages */
  const owners = new Map();
  const errors = [];
  const warnings = [];

  for (const r of RESERVED) {
    for (const k of r.keys) {
      bindings.set(k, { action: r.action, description: r.description });
      owners.set(k, `the reserved action "${r.action}"`);
    }
  }

  const labels = schema?.stance?.labels ?? [];
  labels.forEach((label, i) => {
    if (i >= 9) {
      warnings.push({ field: `stance.labels[${i}]`, message: `stance label "${label}" has no key (only 1-9 are bound)` });
      return;
    }
    const k = String(i + 1);
    bindings.set(k, { action: 'stance', arg: label, description: `Stance: ${label}` });
    owners.set(k, `stance label "${label}"`);
  });

  const types = schema?.entity_types ?? [];
  types.forEach((type, i) => {
    const field = `entity_types[${i}].hotkey`;
    if (type.hotkey === undefined || type.hotkey === null || type.hotkey === '') {
      warnings.push({ field, message: `entity type "${type.name}" has no hotkey` });
      return;
    }
    const k = normalizeKeySpec(type.hotkey);
    if (k === null) {
      errors.push({ field, message: `"${type.hotkey}" is not a valid key` });
      return;
    }
    if (owners.has(k)) {
      errors.push({ field, message: `hotkey "${k}" of entity type "${type.name}" clashes with ${owners.get(k)}` });
      return;
    }
    bindings.set(k, { action: 'entity', arg: type.name, description: `Entity: ${type.name}` });
    owners.set(k, `entity type "${type.name}"`);
  });

  return { bindings, errors, warnings };
}

/**
 * The binding for a keyboard event, or null.
 * @param {Keymap} keymap
 * @param {KeyEventLike} event
 * @param {{metaIsCtrl?: boolean}} [options]
 * @returns {Binding | null}
 */
export function bindingForEvent(keymap, event, options) {
  const k = keyFromEvent(event, options);
  return (k !== null && keymap.bindings.get(k)) || null;
}

/**
 * Rows for the `?` shortcut sheet, one per action (and per entity type / stance label),
 * in binding order, keys grouped.
 * @param {Keymap} keymap
 * @returns {Array<{keys: string[], labels: string[], action: string, arg?: string|number, description: string}>}
 */
export function describeKeymap(keymap) {
  const rows = new Map();
  for (const [key, b] of keymap.bindings) {
    const id = `${b.action}\u0000${b.arg ?? ''}`;
    if (!rows.has(id)) {
      const row = { keys: [], labels: [], action: b.action, description: b.description };
      if (b.arg !== undefined) row.arg = b.arg;
      rows.set(id, row);
    }
    rows.get(id).keys.push(key);
    rows.get(id).labels.push(formatKey(key));
  }
  return [...rows.values()];
}
