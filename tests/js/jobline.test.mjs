import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobLine } from '../../frontend/static/frontend/js/lib/jobline.js';

test('a message that already says the state is not prefixed twice (issue 13, bug 11)', () => {
  assert.equal(jobLine({ state: 'queued', message: 'queued: waiting for a free worker' }), 'queued: waiting for a free worker');
});

test('other messages get the state in front; no message shows the state alone', () => {
  assert.equal(jobLine({ state: 'running', message: 'computing chunk 1 of 2' }), 'running: computing chunk 1 of 2');
  assert.equal(jobLine({ state: 'queued', message: '' }), 'queued');
  assert.equal(jobLine({ state: 'queued', message: 'waiting: no worker is running' }), 'waiting: no worker is running');
});
