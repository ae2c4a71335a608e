/**
 * Guidelines Markdown editor: a live preview rendered by the server exactly as
 * annotators see guidelines (Markdown, then the nh3 allow-list sanitiser).
 *
 * Markup: manage_guidelines_editor.html (`[data-guidelines-editor]` with `data-preview-url`).
 *
 * @module manage/guidelines-editor
 */

import { request } from './api.js';
import { debounce } from './pure.js';

const DELAY_MS = 400;

/** @param {HTMLElement} root */
export function guidelinesEditor(root) {
  const textarea = root.querySelector('textarea');
  const preview = root.querySelector('#guidelines-preview');
  let sequence = 0;

  async function refresh() {
    const mine = ++sequence;
    try {
      const { html } = await request('POST', root.dataset.previewUrl, { text: textarea.value });
      if (mine !== sequence) return;
      // The only HTML we insert: the server's sanitised rendering (tags from an
      // allow-list, no attributes but href/title/align), never the lead's raw text.
      preview.innerHTML = html;
    } catch (err) {
      if (mine === sequence) preview.setAttribute('data-stale', 'true');
    }
  }

  textarea.addEventListener('input', debounce(refresh, DELAY_MS));
  return { refresh };
}
