/**
 * The members page: add a member (username, role, optional password), change roles,
 * remove members (two presses: the first asks), the per-annotator progress table, and
 * "who has what" (open assignments, each with a Release button).
 * Uses /api/projects/{id}/members/ and the assignments API.
 *
 * @module manage/members
 */

import { listAll, request } from './api.js';
import { clear, el } from './dom.js';
import { formatSeconds } from './pure.js';

const root = document.getElementById('members');
const projectId = root.dataset.projectId;
const base = `/api/projects/${projectId}`;
const message = document.getElementById('members-message');
const memberBody = document.querySelector('#member-table tbody');
const assignmentBody = document.querySelector('#assignment-table tbody');
const addForm = document.getElementById('add-member');
const addError = document.getElementById('add-member-error');
const ROLES = [...document.getElementById('id_role').options].map((o) => [o.value, o.textContent]);
const CONFIRM_MS = 5000;

/** @param {string} text @param {boolean} [ok] */
function say(text, ok = true) {
  message.textContent = text;
  message.classList.toggle('error', !ok);
}

/** @param {string|null} iso */
function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

function numberCell(value) {
  return el('td', { className: 'num', text: value });
}

/** @param {{username: string, role: string, progress: object}} member */
function memberRow(member) {
  const p = member.progress;
  const select = el('select', { attrs: { 'aria-label': `Role of ${member.username}`, 'data-username': member.username } });
  for (const [value, label] of ROLES) {
    const option = el('option', { text: label, attrs: { value } });
    option.selected = value === member.role;
    select.append(option);
  }
  select.addEventListener('change', async () => {
    try {
      await request('PATCH', `${base}/members/${encodeURIComponent(member.username)}/`, { role: select.value });
      say(`${member.username} is now ${select.value}.`);
      member.role = select.value;
    } catch (err) {
      select.value = member.role;
      say(err.message, false);
    }
  });
  const remove = el('button', { text: 'Remove', attrs: { type: 'button', 'aria-label': `Remove ${member.username}` } });
  let armed = null;
  remove.addEventListener('click', async () => {
    if (!armed) {
      // A first press asks; a second within a few seconds removes (no modal dialogs).
      remove.textContent = 'Really remove?';
      remove.classList.add('danger');
      armed = setTimeout(() => {
        armed = null;
        remove.textContent = 'Remove';
        remove.classList.remove('danger');
      }, CONFIRM_MS);
      return;
    }
    clearTimeout(armed);
    armed = null;
    try {
      await request('DELETE', `${base}/members/${encodeURIComponent(member.username)}/`);
      say(`Removed ${member.username}; their open sentences went back to the pool.`);
      await refresh();
    } catch (err) {
      remove.textContent = 'Remove';
      remove.classList.remove('danger');
      say(err.message, false);
    }
  });
  return el('tr', { attrs: { 'data-username': member.username } }, [
    el('th', { text: member.username, attrs: { scope: 'row' } }),
    el('td', {}, [select]),
    numberCell(p.assigned),
    numberCell(p.open),
    numberCell(p.submitted),
    numberCell(p.skipped),
    numberCell(p.drafts),
    numberCell(formatSeconds(p.median_seconds)),
    el('td', { text: when(p.last_activity) }),
    el('td', {}, [remove]),
  ]);
}

/** @param {{id: number, annotator: string, document: number, sentence_index: number, assigned_at: string}} a */
function assignmentRow(a) {
  const release = el('button', {
    text: 'Release',
    attrs: { type: 'button', 'aria-label': `Release sentence ${a.sentence_index + 1} of “${a.document_title}” from ${a.annotator}` },
  });
  release.addEventListener('click', async () => {
    release.disabled = true;
    try {
      await request('DELETE', `/api/assignments/${a.id}/`);
      say(`Released sentence ${a.sentence_index + 1} of “${a.document_title}” from ${a.annotator}.`);
      await refresh();
    } catch (err) {
      release.disabled = false;
      say(err.message, false);
    }
  });
  return el('tr', {}, [
    el('td', { text: a.annotator }),
    el('td', { text: a.document_title }),
    numberCell(a.sentence_index + 1),
    el('td', { text: when(a.assigned_at) }),
    el('td', {}, [release]),
  ]);
}

/** @param {Element} body @param {number} columns @param {string} text */
function empty(body, columns, text) {
  clear(body);
  body.append(el('tr', {}, [el('td', { text, className: 'muted', attrs: { colspan: String(columns) } })]));
}

async function refresh() {
  try {
    const [members, assignments] = await Promise.all([
      listAll(`${base}/members/?page_size=500`),
      listAll(`${base}/assignments/?state=open&page_size=500`),
    ]);
    clear(memberBody);
    for (const member of members) memberBody.append(memberRow(member));
    if (assignments.length) {
      clear(assignmentBody);
      for (const a of assignments) assignmentBody.append(assignmentRow(a));
    } else {
      empty(assignmentBody, 5, 'Nobody holds an open sentence.');
    }
  } catch (err) {
    say(`Could not load the members: ${err.message}`, false);
  }
}

addForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  addError.textContent = '';
  const username = addForm.elements.username.value.trim();
  if (!username) {
    addError.textContent = 'Enter a username.';
    addForm.elements.username.focus();
    return;
  }
  const body = { username, role: addForm.elements.role.value };
  if (addForm.elements.password.value) body.password = addForm.elements.password.value;
  try {
    const member = await request('POST', `${base}/members/`, body);
    say(`Added ${member.username} as ${member.role}.`);
    addForm.reset();
    addForm.elements.username.focus();
    await refresh();
  } catch (err) {
    addError.textContent = err.message;
    const field = addForm.elements[err.field];
    if (field && field.focus) field.focus();
  }
});

refresh();
