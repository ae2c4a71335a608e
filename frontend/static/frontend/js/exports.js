// Exports page: start an export job, show its progress by polling /api/jobs/{id}/, then
// refresh the list of exports. Text from the server is always inserted as text.

import { snippetLines } from './lib/snippet.js';
import { jobLine } from './lib/jobline.js';

const POLL_MS = 700;
const root = document.getElementById("exports");

function csrfToken() {
  const input = document.querySelector("#export-form input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function api(url, options = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    ...options,
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((body && body.detail) || `${response.status} ${response.statusText}`);
  }
  return body;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function formatSize(bytes) {
  if (bytes === null || bytes === undefined) return "";
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

function renderRow(exp) {
  const row = el("tr", null, { "data-export": exp.id });
  row.append(el("td", exp.format), el("td", exp.version ? `v${exp.version}` : "—"), el("td", exp.state),
    el("td", exp.stats && exp.stats.sentences !== undefined ? exp.stats.sentences : ""));
  const created = (exp.created_at || "").replace("T", " ").slice(0, 16);
  row.append(el("td", `${created} UTC${exp.created_by ? " · " + exp.created_by : ""}`));
  const file = el("td");
  if (exp.state === "done" && exp.download) {
    file.append(el("a", exp.filename, { href: exp.download, download: "" }), " ",
      el("span", `(${formatSize(exp.size)})`, { class: "muted" }), el("br"), el("code", exp.sha256, { class: "sha" }));
  } else if (exp.state === "failed") {
    file.append(el("span", exp.error, { class: "error" }));
  } else {
    file.append(el("span", "not ready", { class: "muted" }));
  }
  row.append(file);
  return row;
}

async function refreshList() {
  const page = await api(root.dataset.listUrl);
  const body = document.getElementById("export-rows");
  body.replaceChildren(...page.results.map(renderRow));
  if (!page.results.length) {
    const row = el("tr", null, { class: "empty" });
    row.append(el("td", "No exports yet.", { colspan: "6" }));
    body.append(row);
  }
}

function showStatus(progress, message, isError = false) {
  const box = document.getElementById("export-status");
  box.hidden = false;
  const bar = document.getElementById("export-progress");
  bar.value = progress;
  bar.textContent = `${progress}%`;
  const text = document.getElementById("export-message");
  text.textContent = message;
  text.className = isError ? "error" : "";
}

async function watch(jobId) {
  for (;;) {
    const job = await api(`${root.dataset.jobsUrl}${jobId}/`);
    showStatus(job.progress, jobLine(job));
    if (job.state === "done" || job.state === "failed") {
      if (job.state === "failed") showStatus(job.progress, `failed: ${job.error || job.message}`, true);
      else showStatus(100, "done — the file is in the list below");
      await refreshList();
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// the body of POST /api/projects/{id}/exports/: format, raw, status, min_confidence, annotator_names
function exportOptions() {
  const minConfidence = document.getElementById("export-min-confidence").value;
  const names = document.getElementById("export-names");
  return {
    format: document.getElementById("export-format").value,
    raw: document.getElementById("export-raw").checked,
    status: document.getElementById("export-status").value,
    min_confidence: minConfidence === "" ? null : Number(minConfidence),
    annotator_names: names ? names.checked : false,
  };
}

const form = document.getElementById("export-form");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = document.getElementById("export-start");
  button.disabled = true;
  try {
    const started = await api(root.dataset.listUrl, {
      method: "POST",
      body: JSON.stringify(exportOptions()),
    });
    showStatus(0, "queued");
    await refreshList();
    await watch(started.job);
  } catch (error) {
    showStatus(0, error.message, true);
  } finally {
    button.disabled = false;
  }
});

// --- the copy-paste lines for ML engineers (built by lib/snippet.js) ---------------------------

const ml = document.getElementById("ml");
let mlToken = null;

function renderSnippet() {
  const select = document.getElementById("ml-format");
  const option = select.options[select.selectedIndex];
  const lines = snippetLines({
    apiRoot: ml.dataset.apiRoot,
    projectId: root.dataset.project,
    format: select.value,
    filename: option.dataset.filename,
    username: ml.dataset.username,
    token: mlToken,
  });
  document.getElementById("ml-code").textContent = lines.join("\n");
}

document.getElementById("ml-format").addEventListener("change", renderSnippet);
document.getElementById("ml-token").addEventListener("click", async () => {
  const button = document.getElementById("ml-token");
  const note = document.getElementById("ml-token-note");
  button.disabled = true;
  try {
    const made = await api(ml.dataset.tokensUrl, {
      method: "POST",
      body: JSON.stringify({ name: `exports page: ${root.dataset.projectSlug || root.dataset.project}`, scope: "exports:read" }),
    });
    mlToken = made.key;
    note.textContent = "The first line now holds a new read-only token (exports:read). It is shown only here, "
      + "once: copy the lines now. Revoke it with DELETE /api/tokens/" + made.id + "/.";
    renderSnippet();
  } catch (error) {
    note.textContent = `Could not create a token: ${error.message}`;
    button.disabled = false;
  }
});
renderSnippet();
