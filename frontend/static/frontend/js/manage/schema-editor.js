/**
 * The label schema JSON editor: a <textarea> checked as the lead types. Syntax is
 * checked at once in the browser; the schema itself by the server's one validation
 * function (debounced POST to the validate endpoint), so the rules never drift.
 * While the schema is invalid, every button marked `data-needs-valid-schema` in the
 * same form is disabled.
 *
 * Markup: manage_schema_editor.html (`[data-schema-editor]` with `data-validate-url`).
 *
 * @module manage/schema-editor
 */

import { ApiError, request } from './api.js';
import { clear, el } from './dom.js';
import { debounce, parseJson, previewModel } from './pure.js';
import { renderPreview } from './schema-preview.js';

const DELAY_MS = 300;

/**
 * @param {HTMLElement} root  the [data-schema-editor] element
 * @returns {{check: () => Promise<boolean>, value: () => unknown, setText: (text: string) => void,
 *            showErrors: (errors: {field: string, message: string}[]) => void}}
 */
export function schemaEditor(root) {
  const textarea = root.querySelector('textarea');
  const status = root.querySelector('.schema-status');
  const list = root.querySelector('.schema-errors');
  const preview = root.querySelector('#schema-preview');
  const form = root.closest('form');
  const url = root.dataset.validateUrl;
  let sequence = 0; // answers to older requests are dropped: the lead typed on since
  let parsed = undefined;

  function setValid(valid, message) {
    textarea.setAttribute('aria-invalid', valid ? 'false' : 'true');
    status.textContent = message;
    status.classList.toggle('ok', valid);
    status.classList.toggle('error', !valid);
    for (const button of (form || root).querySelectorAll('[data-needs-valid-schema]')) {
      button.disabled = !valid;
    }
  }

  function showErrors(errors) {
    clear(list);
    for (const error of errors) {
      list.append(el('li', {}, [
        el('code', { text: error.field || '(schema)' }),
        el('span', { text: ` ${error.message}` }),
      ]));
    }
    const n = errors.length;
    setValid(n === 0, n === 0 ? '✓ The schema is valid.' : `✗ ${n} problem${n === 1 ? '' : 's'}; saving is disabled until fixed.`);
  }

  async function check() {
    const mine = ++sequence;
    const result = parseJson(textarea.value);
    if (!result.ok) {
      showErrors([result.error]);
      return false;
    }
    parsed = result.value;
    renderPreview(preview, previewModel(parsed));
    try {
      const answer = await request('POST', url, parsed);
      if (mine !== sequence) return false;
      showErrors(answer.errors);
      return answer.valid;
    } catch (err) {
      if (mine !== sequence) return false;
      const message = err instanceof ApiError ? err.message : String(err);
      showErrors([{ field: '', message: `Could not check the schema: ${message}` }]);
      return false;
    }
  }

  const later = debounce(check, DELAY_MS);
  textarea.addEventListener('input', () => {
    sequence++; // an answer in flight is now stale
    status.textContent = 'Checking…';
    status.classList.remove('ok', 'error');
    for (const button of (form || root).querySelectorAll('[data-needs-valid-schema]')) button.disabled = true;
    later();
  });
  // Tab is not captured for indentation: keyboard users must be able to leave the editor.
  check();
  return {
    check,
    value: () => parsed,
    setText(text) {
      textarea.value = text;
      check();
    },
    showErrors,
  };
}
