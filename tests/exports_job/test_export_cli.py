"""``export_gold SLUG --format FMT --out PATH``."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from annotator.gold.models import Gold

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_export_gold_writes_the_file_and_says_what_it_wrote(demo_gold, media_root, tmp_path):
    out = io.StringIO()
    call_command("export_gold", "demo", "--format", "jsonl", "--out", str(tmp_path / "gold.jsonl"), stdout=out,
                 stderr=io.StringIO())
    assert len((tmp_path / "gold.jsonl").read_text().splitlines()) == 12
    assert "12 sentences" in out.getvalue() and "sha256" in out.getvalue()
    out = io.StringIO()
    call_command("export_gold", "demo", "--format", "bundle", "--out", str(tmp_path), stdout=out,
                 stderr=io.StringIO())
    assert "tokens split at span boundaries" in out.getvalue()
    names = zipfile.ZipFile(tmp_path / "demo-bundle.zip").namelist()
    assert {"README.md", "splits.csv", "SHA256SUMS", "MANIFEST.json", "jsonl/gold.jsonl"} <= set(names)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no work folders left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--format", "jsonl"], "no project with slug 'nope'"),
        (["demo", "--format", "jsonl", "--out-missing"], "does not exist"),
        (["demo", "--format", "jsonl", "--no-gold"], "has no gold sentences"),
    ],
)
def test_export_gold_fails_clearly_and_writes_nothing(demo_gold, media_root, tmp_path, args, message):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "gold.jsonl"
    if "--out-missing" in args:
        args.remove("--out-missing")
        out = tmp_path / "missing" / "gold.jsonl"
    if "--no-gold" in args:
        args.remove("--no-gold")
        Gold.objects.all().delete()
    with pytest.raises(CommandError, match=message):
        call_command("export_gold", *args, "--out", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    assert list(tmp_path.rglob("*")) == []
