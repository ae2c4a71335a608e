/**
 * The exports page's copy-paste lines for ML engineers (DOM-free, tested with node --test).
 *
 * The first line always sets ACCORD_TOKEN (the lines after it use it): with a key the page
 * just created, `export ACCORD_TOKEN='<key>'`, which runs as pasted; without one, a login
 * through POST /api/auth/token/ that reads the password from $ACCORD_PASSWORD. Then one
 * line fetches the newest export of the chosen format, one line opens it.
 *
 * @module snippet
 */

/** How to open each format once downloaded; `file` is the download, `dir` where a zip goes. */
export const OPENERS = Object.freeze({
  bundle: (file, dir) => `unzip -o ${file} -d ${dir} && python3 -c 'import datasets; print(datasets.load_dataset("${dir}", "ner"))'`,
  hf: (file, dir) => `unzip -o ${file} -d ${dir} && python3 -c 'import datasets; print(datasets.load_dataset("${dir}", "ner"))'`,
  spacy: (file, dir) => `unzip -o ${file} -d ${dir} && python3 -c 'import pathlib, spacy; from spacy.tokens import DocBin; v = spacy.blank("en").vocab; print(sum(len(list(DocBin().from_disk(p).get_docs(v))) for p in pathlib.Path("${dir}").rglob("*.spacy")), "docs")'`,
  jsonl: (file) => `python3 -c 'import json; print(sum(1 for line in open("${file}", encoding="utf-8") if json.loads(line)), "sentences")'`,
  'stance-csv': (file) => `python3 -c 'import csv; print(len(list(csv.DictReader(open("${file}", encoding="utf-8", newline="")))), "rows")'`,
  conll: (file, dir) => `unzip -o ${file} -d ${dir} && head -n 12 ${dir}/*.conll`,
  brat: (file, dir) => `unzip -o ${file} -d ${dir} && ls ${dir}`,
  oneie: (file, dir) => `unzip -o ${file} -d ${dir} && python3 -c 'import json, pathlib; print({p.name: sum(1 for _ in p.open()) for p in pathlib.Path("${dir}").glob("*.oneie.json")})'`,
});

/** @returns {string} `s` quoted for a POSIX shell (single quotes) */
export function shellQuote(s) {
  return `'${String(s).replaceAll("'", `'"'"'`)}'`;
}

/**
 * @param {object} o
 * @param {string} o.apiRoot     absolute URL of /api/ (ends with "/")
 * @param {number|string} o.projectId
 * @param {string} o.format      an export format value, e.g. "bundle"
 * @param {string} o.filename    the file to save, e.g. "demo-bundle.zip"
 * @param {string} o.username    who signs in when there is no token yet
 * @param {string|null} [o.token] a key the page created (exports:read), or null
 * @returns {string[]} the lines, token first
 */
export function snippetLines({ apiRoot, projectId, format, filename, username, token = null }) {
  const first = token
    ? `export ACCORD_TOKEN=${shellQuote(token)}`
    : `export ACCORD_TOKEN=$(curl -fsS --data-urlencode username=${shellQuote(username)} --data-urlencode "password=$ACCORD_PASSWORD" ${apiRoot}auth/token/ | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')`;
  const url = `${apiRoot}projects/${projectId}/exports/latest/${encodeURIComponent(format)}/download/`;
  // server names are <slug>-<format>.<ext>, safe in a shell and in Python quotes; anything else
  // is saved as gold.<ext> rather than quoted twice
  const ext = (filename.match(/\.[\w]+$/) || ['.zip'])[0];
  const file = /^[\w.-]+$/.test(filename) ? filename : `gold${ext}`;
  const dir = file.slice(0, -ext.length) || 'gold';
  const open = OPENERS[format] ? OPENERS[format](file, dir) : `ls -l ${file}`;
  return [
    first,
    `curl -fL -H "Authorization: Token $ACCORD_TOKEN" -o ${file} ${url}`,
    open,
  ];
}
