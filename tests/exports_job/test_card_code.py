"""Issue 10 item 8: the dataset card's example code runs as printed, on a real bundle of a
one-document project (the demo: one article, so one split and no ``spacy/train.spacy`` unless
the seed puts it there)."""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - runs our own card's code with this interpreter
import sys
import zipfile

import pytest

from annotator.exports.services import export_build

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_cards_python_code_runs_in_an_unzipped_one_document_bundle(demo_gold, tmp_path):
    project, _ = demo_gold
    assert project.documents.count() == 1
    out = tmp_path / "gold.zip"
    export_build(project=project, format="bundle", out_path=out, seed=0)
    folder = tmp_path / "gold"
    zipfile.ZipFile(out).extractall(folder)
    card = (folder / "README.md").read_text(encoding="utf-8")
    code = card.split("## Loading", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    code += "\nprint('ROWS', sum(len(s) for s in ner.values()), 'DOCS', len(docs), 'RECORDS', len(records))\n"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home")}
    done = subprocess.run(  # noqa: S603 - fixed interpreter, code from the card under test
        [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ROWS 12 DOCS 12 RECORDS 12" in done.stdout

    # the OneIE block re-pieces the files with a tokenizer (a stand-in `transformers` here)
    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "transformers.py").write_text(
        "class AutoTokenizer:\n"
        "    unk_token = '[UNK]'\n"
        "    @classmethod\n"
        "    def from_pretrained(cls, name):\n"
        "        return cls()\n"
        "    def tokenize(self, word):\n"
        "        return [word[:3]] + ['##' + word[i:i + 3] for i in range(3, len(word), 3)]\n",
        encoding="utf-8",
    )
    oneie = card.split("OneIE files carry", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    done = subprocess.run(  # noqa: S603 - fixed interpreter, code from the card under test
        [sys.executable, "-c", oneie], cwd=folder, env={**env, "PYTHONPATH": str(stub)},
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    from tests.exports.test_formats_oneie import oneie_load

    rows = [row for path in sorted((folder / "oneie").glob("*.oneie.json")) for row in oneie_load(path)]
    assert len(rows) == 12 and any(n > 1 for row in rows for n in row["token_lens"])
