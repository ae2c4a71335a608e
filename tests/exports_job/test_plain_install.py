"""Exporting needs only requirements.txt: the hf writer and the dataset card import neither
``datasets`` nor ``yaml`` (test-only packages), and ``datasets`` loads what they write.
(``.ci/plain-install`` runs every format on a virtualenv made from requirements.txt alone.)"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.exports.test_formats_common import SCHEMA

ROOT = Path(__file__).resolve().parents[2]

WRITE = textwrap.dedent(
    """
    import sys
    sys.modules["datasets"] = None  # any import of them now fails
    sys.modules["yaml"] = None
    from pathlib import Path
    from annotator.exports.card import CardStats, card_metadata, dataset_card
    from annotator.exports.formats import write_formats
    from annotator.exports.formats.hf import features_yaml_list, hf_features
    from tests.exports.test_formats_common import SCHEMA, fixture_records

    import pyarrow.parquet as pq

    out = Path(sys.argv[1])
    write_formats(fixture_records(), {"hf": out / "hf"}, schema=SCHEMA)
    stats = CardStats()
    counts = {}
    for config in ("ner", "stance"):
        counts[config] = {p.stem: pq.ParquetFile(p).metadata.num_rows for p in (out / "hf" / config).glob("*.parquet")}
    meta = card_metadata(name="P", license_name="cc-by-4.0",
                         features={c: features_yaml_list(f) for c, f in hf_features(SCHEMA).items()},
                         hf_splits=counts)
    card = dataset_card(metadata=meta, project={"name": "P", "slug": "p", "guidelines_version": 1, "overlap": 2,
                                                "annotators": 2}, schema=SCHEMA, stats=stats, format_counts={},
                        agreement=None, tokenizer="t",
                        export={"content_sha256": "0" * 64, "exported_at": "2026-01-01T00:00:00Z", "seed": 0,
                                "formats": ["hf"]})
    (out / "README.md").write_text(card, encoding="utf-8")
    assert "datasets" not in [m for m in sys.modules if sys.modules[m] is not None]
    """
)


def test_hf_folder_and_card_are_written_without_datasets_or_yaml_and_load_in_datasets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run([sys.executable, "-c", WRITE, str(tmp_path)], cwd=ROOT, check=True,  # noqa: S603
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets
    import yaml

    ner = datasets.load_dataset(str(tmp_path / "hf"), "ner", cache_dir=str(tmp_path / "c"))
    assert ner["train"].features["ner_tags"].feature.names[:3] == ["O", "B-GPE", "I-GPE"]
    assert ner["train"].features["document_key"].dtype == "string"
    # the bundle's card: its hand-written front matter is what datasets reads to find the files
    card = (tmp_path / "README.md").read_text()
    front = yaml.safe_load(card.split("---\n")[1])
    assert front["license"] == "cc-by-4.0" and front["configs"][0]["config_name"] == "ner"
    # loaded as a bundle: the card's configs point at hf/<config>/<split>.parquet
    (tmp_path / "hf" / "README.md").unlink()
    stance = datasets.load_dataset(str(tmp_path), "stance", cache_dir=str(tmp_path / "c2"))
    assert stance["train"].features["label"].names == SCHEMA["stance"]["labels"]
    default = datasets.load_dataset(str(tmp_path), cache_dir=str(tmp_path / "c3"))
    assert default["train"].features["ner_tags"].feature.names[0] == "O"
