/**
 * The project settings page: three forms, each saved with PATCH /api/projects/{id}/.
 * General settings; the label schema (live-validated editor with preview; the saved,
 * normalised schema replaces the text); the guidelines (preview; the version shown
 * increases when they change).
 *
 * @module manage/settings
 */

import { ApiError, request } from './api.js';
import { guidelinesEditor } from './guidelines-editor.js';
import { schemaEditor } from './schema-editor.js';
import { schemaImpact } from './schema-impact.js';

const root = document.getElementById('settings');
const url = `/api/projects/${root.dataset.projectId}/`;

/** @param {HTMLFormElement} form @param {string} text @param {boolean} ok */
function say(form, text, ok) {
  const status = form.querySelector('.form-status');
  status.textContent = text;
  status.classList.toggle('error', !ok);
  status.classList.toggle('ok', ok);
}

/**
 * @param {HTMLFormElement} form
 * @param {() => object} body
 * @param {(project: object) => void} [after]
 * @param {(err: ApiError) => void} [failed]
 */
function saving(form, body, after, failed) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const payload = body();
    if (payload === null) return;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    say(form, 'Saving…', true);
    try {
      const project = await request('PATCH', url, payload);
      say(form, 'Saved.', true);
      if (after) after(project);
    } catch (err) {
      say(form, err.message, false);
      if (err.field) {
        const input = form.querySelector(`[name="${CSS.escape(err.field)}"]`);
        if (input) input.focus();
      }
      if (failed && err instanceof ApiError) failed(err);
    } finally {
      button.disabled = false;
    }
  });
}

const general = document.getElementById('general-form');
saving(general, () => {
  if (!general.reportValidity()) return null;
  return {
    name: general.elements.name.value,
    description: general.elements.description.value,
    overlap: Number(general.elements.overlap.value),
    assignment_timeout_minutes: Number(general.elements.assignment_timeout_minutes.value),
    license: general.elements.license.value.trim(),
  };
}, (project) => {
  document.title = `Settings · ${project.name} · Accord`;
});

const schemaForm = document.getElementById('schema-form');
const editor = schemaEditor(schemaForm.querySelector('[data-schema-editor]'));
const showSchemaErrors = (err) => editor.showErrors(
  err.errors.map((e) => ({ ...e, field: (e.field || '').replace(/^label_schema\.?/, '') })));
// A schema that removes names in use is refused (409) with its impact: the lead decides.
const impact = schemaImpact(schemaForm.querySelector('[data-schema-impact]'), {
  async save(decision) {
    const schema = editor.value();
    say(schemaForm, 'Saving…', true);
    try {
      const project = await request('PATCH', url, { label_schema: schema, ...decision });
      impact.hide();
      editor.setText(JSON.stringify(project.label_schema, null, 2));
      say(schemaForm, 'Saved.', true);
    } catch (err) {
      say(schemaForm, err.message, false);
      if (err instanceof ApiError && err.status === 409 && err.body.impact) impact.show(schema, err.body.impact);
      else if (err instanceof ApiError) showSchemaErrors(err);
    }
  },
});
saving(
  schemaForm,
  () => (editor.value() === undefined ? null : { label_schema: editor.value() }),
  (project) => {
    impact.hide();
    editor.setText(JSON.stringify(project.label_schema, null, 2));
  },
  (err) => {
    if (err.status === 409 && err.body.impact) {
      say(schemaForm, 'Not saved: this change affects saved work. Decide below what happens to it.', false);
      impact.show(editor.value(), err.body.impact);
    } else {
      showSchemaErrors(err);
    }
  },
);

const guidelinesForm = document.getElementById('guidelines-form');
guidelinesEditor(guidelinesForm.querySelector('[data-guidelines-editor]'));
saving(guidelinesForm, () => ({ guidelines: guidelinesForm.elements.guidelines.value }), (project) => {
  document.getElementById('guidelines-version').textContent = String(project.guidelines_version);
});
