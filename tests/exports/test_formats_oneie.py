"""Issue 10 item 6: OneIE files that OneIE loads.

``oneie_load`` below follows OneIE's own reading (github.com/GAIA-IE/oneie, ``oneie/data.py``):
``IEDataset.load_data`` reads ``pieces`` (length filter), ``sent_id`` and ``tokens[-1]`` (title
check), ``entity_mentions``; ``numberize`` reads ``tokens``, ``pieces``, ``token_lens``,
entity ``id/start/end/entity_type/mention_type``, events' ``event_type``, ``trigger.start/end``
and each argument's ``entity_id`` (looked up among the entity mentions: a missing one is a
KeyError there) and ``role``, and ``relation_mentions``. torch is not needed for that part.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from annotator.exports.formats import write_format
from annotator.exports.formats.oneie import repiece_file

from .test_formats_common import SCHEMA, fixture_records


def oneie_load(path: Path, max_length: int = 128) -> list[dict[str, Any]]:
    data = []
    with open(path, encoding="utf-8") as r:
        for line in r:
            inst = json.loads(line)
            inst_len = len(inst["pieces"])
            _is_title = inst["sent_id"].endswith("-3") and inst["tokens"][-1] != "." and not inst["entity_mentions"]
            if max_length != -1 and inst_len > max_length - 2:
                continue
            data.append(inst)
    for inst in data:  # numberize, minus the tensors
        tokens, pieces, token_lens = inst["tokens"], inst["pieces"], inst["token_lens"]
        assert len(token_lens) == len(tokens) and sum(token_lens) == len(pieces)
        assert all(n >= 1 for n in token_lens)
        entities = inst["entity_mentions"]
        ids = {e["id"]: i for i, e in enumerate(entities)}
        for e in entities:
            assert 0 <= e["start"] < e["end"] <= len(tokens)
            assert isinstance(e["entity_type"], str) and isinstance(e["mention_type"], str)
        for event in inst["event_mentions"]:
            assert isinstance(event["event_type"], str)
            assert 0 <= event["trigger"]["start"] < event["trigger"]["end"] <= len(tokens)
            for arg in event["arguments"]:
                _ = ids[arg["entity_id"]], arg["role"]
        assert inst["relation_mentions"] == []
    return data


@pytest.fixture
def oneie_dir(tmp_path: Path) -> Path:
    write_format("oneie", fixture_records(), tmp_path, schema=SCHEMA)
    return tmp_path


def test_every_split_loads_as_oneie_reads_it(oneie_dir: Path) -> None:
    loaded = {p.name: oneie_load(p) for p in sorted(oneie_dir.glob("*.oneie.json"))}
    assert sorted(loaded) == ["dev.oneie.json", "test.oneie.json", "train.oneie.json"]
    assert sum(len(v) for v in loaded.values()) == 5
    first = loaded["train.oneie.json"][0]
    assert first["pieces"] == first["tokens"] and set(first["token_lens"]) == {1}  # whitespace pieces


def test_texts_are_exact_slices_of_the_sentence(oneie_dir: Path) -> None:
    for path in oneie_dir.glob("*.oneie.json"):
        for inst in oneie_load(path):
            for m in inst["entity_mentions"]:
                assert m["text"] in inst["sentence"]
                assert "".join(inst["tokens"][m["start"]:m["end"]]).replace(" ", "") == m["text"].replace(" ", "")


def test_arguments_that_are_not_entities_have_their_own_mention_type(oneie_dir: Path) -> None:
    dev = oneie_load(oneie_dir / "dev.oneie.json")[0]
    mentions = {m["id"]: m for m in dev["entity_mentions"]}
    args = [(a["role"], mentions[a["entity_id"]]) for a in dev["event_mentions"][0]["arguments"]]
    assert [(role, m["text"], m["entity_type"], m["mention_type"]) for role, m in args] == [
        ("Target", "officials", "Argument", "ARG"),
        ("Target", "Tuesday", "Argument", "ARG"),
    ]
    assert all(m["entity_type"] != "UNK" for m in dev["entity_mentions"])


class _FakeTokenizer:
    unk_token = "[UNK]"

    def tokenize(self, word: str) -> list[str]:
        if word == "🚀":
            return []
        return [word[:2]] + [f"##{word[i:i + 2]}" for i in range(2, len(word), 2)]


def _fake_transformers(monkeypatch: pytest.MonkeyPatch, asked: list[str]) -> None:
    module = types.ModuleType("transformers")

    class AutoTokenizer:
        @staticmethod
        def from_pretrained(name: str) -> _FakeTokenizer:
            asked.append(name)
            return _FakeTokenizer()

    module.AutoTokenizer = AutoTokenizer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "transformers", module)


def test_a_named_hugging_face_tokenizer_gives_its_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    _fake_transformers(monkeypatch, asked)
    stats = write_format_oneie(tmp_path, tokenizer="bert-base-cased")
    assert asked == ["bert-base-cased"]
    first = oneie_load(tmp_path / "train.oneie.json")[0]
    assert first["tokens"][:3] == ["🚀", "Russia", "sent"]
    assert first["pieces"][:5] == ["[UNK]", "Ru", "##ss", "##ia", "se"]
    assert first["token_lens"][:3] == [1, 3, 2]
    assert stats.counts["empty_pieces"] == 2  # the rocket, twice


def write_format_oneie(out: Path, *, tokenizer: str) -> Any:
    from annotator.exports.formats.oneie import write_oneie

    return write_oneie(fixture_records(), out, schema=SCHEMA, tokenizer=tokenizer)


def test_repiece_rewrites_an_exported_file(oneie_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_transformers(monkeypatch, [])
    path = oneie_dir / "train.oneie.json"
    assert repiece_file(path, path, tokenizer="x") == 2  # in place
    assert oneie_load(path)[0]["token_lens"][:3] == [1, 3, 2]


def test_whitespace_pieces_never_import_transformers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)  # any import would raise
    write_format("oneie", fixture_records(), tmp_path, schema=SCHEMA)
    with pytest.raises(ValueError, match="need the `transformers` package"):
        write_format_oneie(tmp_path / "x", tokenizer="bert-base-cased")
    assert not (tmp_path / "x").exists()  # failed before writing anything
