import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPENERS, shellQuote, snippetLines } from '../../frontend/static/frontend/js/lib/snippet.js';

// every ExportFormat value (annotator/exports/models.py); tests/exports_job/test_exports_page.py
// checks the page offers exactly these
const FORMATS = ['jsonl', 'conll', 'spacy', 'hf', 'brat', 'stance-csv', 'oneie', 'bundle'];
const BASE = { apiRoot: 'http://h:8000/api/', projectId: 7, username: 'lead' };

test('the first line sets ACCORD_TOKEN, before any line uses it', () => {
  for (const token of [null, 'acc_abc-DEF_1']) {
    const lines = snippetLines({ ...BASE, format: 'bundle', filename: 'demo-bundle.zip', token });
    assert.match(lines[0], /^export ACCORD_TOKEN=/);
    assert.ok(!lines[0].includes('$ACCORD_TOKEN'));
    assert.ok(lines[1].includes('Authorization: Token $ACCORD_TOKEN'));
  }
  const withKey = snippetLines({ ...BASE, format: 'bundle', filename: 'demo-bundle.zip', token: 'acc_x' });
  assert.equal(withKey[0], "export ACCORD_TOKEN='acc_x'");
});

test('without a key, the first line logs in with the username and $ACCORD_PASSWORD', () => {
  const [first] = snippetLines({ ...BASE, format: 'jsonl', filename: 'demo-jsonl.jsonl' });
  assert.ok(first.includes("username='lead'") && first.includes('"password=$ACCORD_PASSWORD"'));
  assert.ok(first.includes('http://h:8000/api/auth/token/'));
});

test('every format has its own fetch and open line', () => {
  assert.deepEqual(Object.keys(OPENERS).sort(), [...FORMATS].sort());
  for (const format of FORMATS) {
    const filename = format === 'jsonl' ? 'demo-jsonl.jsonl' : format === 'stance-csv' ? 'demo-stance-csv.csv' : `demo-${format}.zip`;
    const lines = snippetLines({ ...BASE, format, filename, token: 'k' });
    assert.equal(lines.length, 3);
    assert.ok(lines[1].endsWith(`/api/projects/7/exports/latest/${format}/download/`), lines[1]);
    assert.ok(lines[2].includes(filename), lines[2]);
  }
});

test('shellQuote keeps quotes and spaces inert', () => {
  assert.equal(shellQuote("a'b c"), `'a'"'"'b c'`);
});

test('a file name with shell characters is saved under a plain name', () => {
  const lines = snippetLines({ ...BASE, format: 'bundle', filename: "x'; rm -rf ~.zip", token: 'k' });
  assert.ok(lines[1].includes('-o gold.zip ') && lines[2].startsWith('unzip -o gold.zip -d gold '));
});
