/**
 * What a schema change does to saved work, on the settings page: when saving a schema is
 * refused (409) because it removes names that annotations or gold use, this lists each
 * one with its counts and lets the lead rename it onto a name of the new schema (a name
 * that already exists merges the two) or keep the stored labels as they are (orphaned).
 * Every choice is re-checked with POST /api/projects/{id}/schema/impact/ (a renamed event
 * type may bring roles to decide on), then "Save with these choices" sends the PATCH with
 * `renames` and, if anything stays orphaned, `confirm_orphans`.
 *
 * Markup: the [data-schema-impact] section of manage_settings.html.
 *
 * @module manage/schema-impact
 */

import { request } from './api.js';
import { clear, el } from './dom.js';
import { KIND_WORDS, impactCandidates, impactKey, renamesFrom } from './pure.js';

/** @param {number} n @param {string} word */
const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * @param {HTMLElement} root  the [data-schema-impact] section (with data-impact-url)
 * @param {{save: (body: {renames: object, confirm_orphans: boolean}) => Promise<void>}} options
 * @returns {{show: (schema: any, impact: any) => void, hide: () => void}}
 */
export function schemaImpact(root, { save }) {
  const list = root.querySelector('.impact-list');
  const summary = root.querySelector('.impact-summary');
  const saveButton = root.querySelector('[data-impact-save]');
  let schema = null;
  let impact = null;
  /** @type {Map<string, {item: any, to: string}>} */
  let choices = new Map();

  function render() {
    clear(list);
    const renames = renamesFrom(choices.values());
    const inUse = impact.removed.filter((item) => item.annotations || item.gold || choices.has(impactKey(item)));
    inUse.forEach((item, index) => {
      const key = impactKey(item);
      const id = `impact-choice-${index}`;
      const where = item.kind === 'roles' ? ` of ${item.event_type}` : '';
      const select = el('select', { attrs: { id } }, [
        el('option', { text: 'Keep the labels as they are (orphaned)', attrs: { value: '' } }),
        ...impactCandidates(schema, item, renames).map((name) => el('option', { text: `Rename to “${name}”`, attrs: { value: name } })),
      ]);
      select.value = choices.get(key)?.to || '';
      select.addEventListener('change', () => {
        choices.set(key, { item, to: select.value });
        refresh();
      });
      list.append(el('li', { attrs: { 'data-name': item.name, 'data-kind': item.kind } }, [
        el('label', { attrs: { for: id } }, [
          el('strong', { text: `${KIND_WORDS[item.kind] || item.kind} “${item.name}”${where}` }),
          document.createTextNode(`: used by ${count(item.annotations, 'annotation')} and ${count(item.gold, 'gold decision')}`),
        ]),
        select,
      ]));
    });
    summary.textContent = impact.unresolved
      ? `${count(impact.unresolved, 'name')} in use would be orphaned.`
      : 'Every name in use is renamed.';
  }

  async function refresh() {
    const renames = renamesFrom(choices.values());
    try {
      impact = await request('POST', root.dataset.impactUrl, { label_schema: schema, renames });
      render();
    } catch (err) {
      summary.textContent = err.message;
    }
  }

  saveButton.addEventListener('click', async () => {
    saveButton.disabled = true;
    try {
      await save({ renames: renamesFrom(choices.values()), confirm_orphans: impact.unresolved > 0 });
    } finally {
      saveButton.disabled = false;
    }
  });
  root.querySelector('[data-impact-cancel]').addEventListener('click', () => hide());

  function hide() {
    root.hidden = true;
  }

  return {
    show(newSchema, newImpact) {
      schema = newSchema;
      impact = newImpact;
      choices = new Map();
      root.hidden = false;
      render();
      root.querySelector('h3').focus();
    },
    hide,
  };
}
