/**
 * The members page: invite someone new (a one-time link), add someone the lead already
 * works with (username, role), change roles, remove members (two presses: the first asks),
 * the per-annotator progress table, invitations (each with Revoke), and "who has what"
 * (open assignments, each with a Release button).
 * Uses /api/projects/{id}/members/, …/invitations/ and the assignments API.
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
const inviteForm = document.getElementById('invite-member');
const inviteError = document.getElementById('invite-error');
const inviteResult = document.getElementById('invite-result');
const inviteUrl = document.getElementById('id_invite_url');
const invitationBody = document.querySelector('#invitation-table tbody');
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

/** @param {{id: number, role: string, email: string, state: string, expires_at: string, used_by: string|null}} inv */
function invitationRow(inv) {
  const cells = [
    el('td', { text: inv.role }),
    el('td', { text: inv.email || '—' }),
    el('td', { text: inv.state }),
    el('td', { text: when(inv.expires_at) }),
    el('td', { text: inv.used_by || '—' }),
  ];
  const actions = el('td');
  if (inv.state === 'pending') {
    const revoke = el('button', { text: 'Revoke', attrs: { type: 'button', 'aria-label': `Revoke the ${inv.role} invitation ${inv.id}` } });
    revoke.addEventListener('click', async () => {
      revoke.disabled = true;
      try {
        await request('DELETE', `/api/invitations/${inv.id}/`);
        say('Invitation revoked: its link no longer works.');
        await refresh();
      } catch (err) {
        revoke.disabled = false;
        say(err.message, false);
      }
    });
    actions.append(revoke);
  }
  return el('tr', {}, [...cells, actions]);
}

async function refresh() {
  try {
    const [members, assignments, invitations] = await Promise.all([
      listAll(`${base}/members/?page_size=500`),
      listAll(`${base}/assignments/?state=open&page_size=500`),
      listAll(`${base}/invitations/?page_size=100`),
    ]);
    clear(memberBody);
    for (const member of members) memberBody.append(memberRow(member));
    if (invitations.length) {
      clear(invitationBody);
      for (const inv of invitations) invitationBody.append(invitationRow(inv));
    } else {
      empty(invitationBody, 6, 'No invitations yet.');
    }
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
  try {
    const member = await request('POST', `${base}/members/`, body);
    const said = {
      added: `Added ${member.username} as ${member.role}.`,
      role_changed: `${member.username} was already a member; their role is now ${member.role}.`,
      unchanged: `${member.username} is already a member as ${member.role}.`,
    };
    say(said[member.outcome] || said.added);
    addForm.reset();
    addForm.elements.username.focus();
    await refresh();
  } catch (err) {
    addError.textContent = err.message;
    const field = addForm.elements[err.field];
    if (field && field.focus) field.focus();
  }
});

inviteForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  inviteError.textContent = '';
  const body = { role: inviteForm.elements.role.value };
  const email = inviteForm.elements.email.value.trim();
  if (email) body.email = email;
  try {
    const created = await request('POST', `${base}/invitations/`, body);
    inviteUrl.value = created.url;
    inviteResult.hidden = false;
    inviteUrl.focus();
    inviteUrl.select();
    say(email ? `Invitation as ${created.role} created and mailed to ${email}.` : `Invitation as ${created.role} created: copy the link below.`);
    await refresh();
  } catch (err) {
    inviteError.textContent = err.message;
  }
});

refresh();
