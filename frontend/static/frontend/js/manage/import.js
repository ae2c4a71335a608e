/**
 * The import page: upload article files to POST /api/projects/{id}/imports/ (checked at
 * once: a bad file is refused naming file and line), then follow the import job with a
 * progress bar until its summary line, or its error.
 *
 * @module manage/import
 */

import { request } from './api.js';
import { watchJob } from './job-progress.js';

const form = document.getElementById('import-form');
const input = document.getElementById('id_files');
const submit = document.getElementById('import-submit');
const box = document.getElementById('import-status');
const bar = document.getElementById('import-progress');
const percent = document.getElementById('import-percent');
const message = document.getElementById('import-message');
const error = document.getElementById('import-error');
const result = document.getElementById('import-result');

/** @param {HTMLElement} node @param {string} text */
function show(node, text) {
  node.textContent = text;
  node.hidden = !text;
}

/** @param {{progress: number|null, message: string, state: string}} job */
function update(job) {
  if (typeof job.progress === 'number') {
    bar.value = job.progress;
    percent.textContent = `${job.progress}%`;
  }
  message.textContent = job.message || job.state;
  box.dataset.state = job.state;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  show(error, '');
  show(result, '');
  if (!input.files.length) {
    show(error, 'Choose one or more .txt, .jsonl or .csv files first.');
    input.focus();
    return;
  }
  const body = new FormData();
  for (const file of input.files) body.append('files', file, file.name);
  submit.disabled = true;
  try {
    let started;
    try {
      started = await request('POST', `/api/projects/${form.dataset.projectId}/imports/`, body);
    } catch (err) {
      show(error, err.message); // e.g. "news.jsonl, line 3: text is empty"
      input.focus();
      return;
    }
    box.hidden = false;
    bar.value = 0;
    update({ progress: 0, message: 'uploaded; waiting for the import to start', state: 'queued' });
    const job = await watchJob(started.job, update);
    if (job.state === 'done') {
      bar.value = 100;
      percent.textContent = '100%';
      message.textContent = 'Finished.';
      show(result, job.result?.summary || 'imported');
      form.reset();
    } else {
      show(error, `The import failed: ${job.error || job.message}`);
    }
  } finally {
    submit.disabled = false;
  }
});
