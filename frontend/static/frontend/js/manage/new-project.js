/**
 * The "new project" page: the slug follows the name until the lead edits it, the schema
 * editor checks as they type, the guidelines preview follows the text. The form itself
 * is a plain POST (it works without JavaScript too).
 *
 * @module manage/new-project
 */

import { guidelinesEditor } from './guidelines-editor.js';
import { slugify } from './pure.js';
import { schemaEditor } from './schema-editor.js';

const form = document.getElementById('new-project');
const name = document.getElementById('id_name');
const slug = document.getElementById('id_slug');
const echo = document.getElementById('slug-echo');
let slugTouched = slug.value !== '';

name.addEventListener('input', () => {
  if (!slugTouched) slug.value = slugify(name.value);
  echo.textContent = slug.value || 'slug';
});
slug.addEventListener('input', () => {
  slugTouched = true;
  echo.textContent = slug.value || 'slug';
});

const editor = schemaEditor(form.querySelector('[data-schema-editor]'));
guidelinesEditor(form.querySelector('[data-guidelines-editor]'));

let confirmed = false;
form.addEventListener('submit', async (event) => {
  if (confirmed) return;
  // Check once more now: the debounced check may not have run after the last keystroke.
  event.preventDefault();
  if (await editor.check()) {
    confirmed = true;
    form.requestSubmit();
  }
});
