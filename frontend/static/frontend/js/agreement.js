// The dashboard's "Recompute" button: start the job, show its progress, reload when done.
// Messages from the server are inserted as text, never as HTML.

import { jobLine } from './lib/jobline.js';

const POLL_MS = 1000;

function cookie(name) {
  const found = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : '';
}

async function json(url, options = {}) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': cookie('csrftoken'), Accept: 'application/json' },
    ...options,
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `HTTP ${response.status}`);
  return body;
}

function init() {
  const box = document.getElementById('recompute');
  if (!box) return;
  const button = document.getElementById('recompute-button');
  const status = document.getElementById('recompute-status');
  const bar = document.getElementById('recompute-progress');
  const message = document.getElementById('recompute-message');

  const show = (progress, text) => {
    status.hidden = false;
    bar.value = progress;
    message.textContent = text;
  };

  async function poll(jobId) {
    const job = await json(`/api/jobs/${jobId}/`);
    show(job.progress, jobLine(job));
    if (job.state === 'done') {
      window.location.reload();
      return;
    }
    if (job.state === 'failed') {
      message.textContent = `failed: ${job.error || job.message}`;
      message.classList.add('error');
      button.disabled = false;
      return;
    }
    window.setTimeout(() => poll(jobId).catch(fail), POLL_MS);
  }

  function fail(error) {
    show(0, `could not compute: ${error.message}`);
    message.classList.add('error');
    button.disabled = false;
  }

  button.addEventListener('click', async () => {
    button.disabled = true;
    message.classList.remove('error');
    show(0, 'starting…');
    try {
      const started = await json(`/api/projects/${box.dataset.project}/agreement/`, { method: 'POST', body: '{}' });
      box.dataset.job = String(started.job);
      await poll(started.job);
    } catch (error) {
      fail(error);
    }
  });
}

init();
