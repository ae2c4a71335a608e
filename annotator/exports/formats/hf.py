"""``hf``: a Hugging Face dataset folder, loadable offline with
``datasets.load_dataset(folder, "ner")`` / ``load_dataset(folder, "stance")``.

Layout::

    README.md                 YAML front matter from :func:`hf_card_metadata` (configs → files)
    ner/<split>.parquet       tokens: Sequence(string), ner_tags: Sequence(ClassLabel(O, B-X, I-X..)),
                              text, token_offsets: [[start, end], ...] of each token in text,
                              entities: [{start, end, label}] (exact, overlapping ones too)
    ner/<split>.jsonl         the same rows with tag NAMES (for people and non-HF tools)
    stance/<split>.parquet    text, target, label: ClassLabel(schema stance labels)
    stance/<split>.jsonl

Splits are ``train``, ``validation`` and ``test``: our ``dev`` is named ``validation`` here, as
Hugging Face's token-classification examples expect (every other format keeps ``dev``).
Both configs also carry ``document_id``, ``sentence_id`` and the document's identity
(:data:`IDENTITY_COLUMNS`: stable key, external id, URL, publication date, meta as JSON text).
Offsets are code points into ``text`` (``text[start:end]``); tokens are split where a span
boundary falls inside one, so ``text[a:b] == token`` for every token offset ``[a, b]``
(whitespace inside a token aside, see :mod:`~annotator.exports.formats.conll`); the sentence's ``status`` and ``confidence`` (see
:mod:`annotator.exports.coverage`) and soft labels: ``ner`` has ``entity_confidence`` (per token,
the fraction of annotators agreeing with its tag), ``stance`` has ``stance_probs`` (over the
stance labels in ClassLabel order: the Dawid–Skene posterior, else the vote fractions); null
where no aggregation run scored it.
Parquet files are written in row batches with ``pyarrow.parquet.ParquetWriter`` (streaming) and
carry the ``datasets`` ``Features`` in the Arrow schema metadata (``huggingface`` key), so
``ClassLabel`` names survive loading; the features are plain dicts, so exporting does not need
``datasets`` installed. Only splits that received rows are written and listed in ``README.md``. Entity tags are
made exactly as in the ``conll`` format (snapping, overlap rule); an entity label not in the
schema is counted as ``unknown_entity_label`` and left as ``O``; a stance label not in the schema
is counted as ``unknown_stance_label`` and the row is left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

if TYPE_CHECKING:  # pyarrow is imported by the export job, not by the web process (issue 12)
    import pyarrow as pa

from annotator.exports.coverage import stance_distribution, token_confidence
from annotator.exports.formats import ExportStats, GoldRecord, LabelSchema
from annotator.exports.formats._common import (
    HF_SPLITS,
    entity_labels,
    hf_split,
    record_split,
    run_writer,
    valid_span,
)
from annotator.exports.formats.conll import sentence_bio
from annotator.exports.formats.frontmatter import front_matter

CONFIGS = ("ner", "stance")
BATCH_ROWS = 2_000
_JSONL = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def ner_tag_names(schema: LabelSchema) -> list[str]:
    """``["O", "B-<label>", "I-<label>", ...]`` in schema order."""
    names = ["O"]
    for label in entity_labels(dict(schema)):
        names += [f"B-{label}", f"I-{label}"]
    return names


# Features are written as ``datasets`` writes them (``Features.to_dict()`` in the Parquet
# schema's ``huggingface`` metadata, ``Features._to_yaml_list()`` in the card), from plain
# dicts: exporting must not need ``datasets`` (a test-only package) installed.
_STRING = {"dtype": "string", "_type": "Value"}
_INT64 = {"dtype": "int64", "_type": "Value"}
_FLOAT64 = {"dtype": "float64", "_type": "Value"}
# how sure the sentence is (annotator.exports.coverage): in every row of both configs
STATUS_COLUMNS: dict[str, dict[str, Any]] = {"status": _STRING, "confidence": _FLOAT64}
# the document's identity in every row (see annotator.exports.splits.document_key)
IDENTITY_COLUMNS: dict[str, dict[str, Any]] = {
    "document_key": _STRING,
    "document_external_id": _STRING,
    "document_url": _STRING,
    "document_published": _STRING,
    "document_meta": _STRING,  # JSON object as text
}


def _class_label(names: Sequence[str]) -> dict[str, Any]:
    return {"names": list(names), "_type": "ClassLabel"}


def _list_of(feature: dict[str, Any]) -> dict[str, Any]:
    return {"feature": feature, "_type": "List"}


def hf_features(schema: LabelSchema) -> dict[str, dict[str, Any]]:
    """Per config, the ``datasets.Features.to_dict()`` form of its columns (plain dicts)."""
    return {
        "ner": {
            "document_id": _INT64,
            "sentence_id": _INT64,
            **IDENTITY_COLUMNS,
            "tokens": _list_of(_STRING),
            "ner_tags": _list_of(_class_label(ner_tag_names(schema))),
            "text": _STRING,
            "token_offsets": _list_of(_list_of(_INT64)),
            # a dict without "_type" is a struct, as in datasets' to_dict()
            "entities": _list_of({"start": _INT64, "end": _INT64, "label": _STRING}),
            **STATUS_COLUMNS,
            "entity_confidence": _list_of(_FLOAT64),
        },
        "stance": {
            "document_id": _INT64,
            "sentence_id": _INT64,
            **IDENTITY_COLUMNS,
            "text": _STRING,
            "target": _STRING,
            "label": _class_label(list(schema.get("stance", {}).get("labels", []))),
            **STATUS_COLUMNS,
            "stance_probs": _list_of(_FLOAT64),
        },
    }


def _yaml_type(feature: dict[str, Any]) -> Any:
    kind = feature.get("_type")
    if kind is None:  # a struct: its fields, as datasets lists them
        return [_yaml_field(name, f) for name, f in feature.items()]
    if kind == "Value":
        return feature["dtype"]
    if kind == "ClassLabel":
        return {"class_label": {"names": {str(i): n for i, n in enumerate(feature["names"])}}}
    return {"list": _yaml_type(feature["feature"])}


def _yaml_field(name: str, feature: dict[str, Any]) -> dict[str, Any]:
    typed = _yaml_type(feature)
    if isinstance(typed, list):
        return {"name": name, "struct": typed}
    if isinstance(typed, dict) and "list" in typed:
        return {"name": name, **typed}
    return {"name": name, "dtype": typed}


def features_yaml_list(features: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The card's ``dataset_info.features`` (``datasets.Features._to_yaml_list()``)."""
    return [_yaml_field(name, feature) for name, feature in features.items()]


def _arrow_type(feature: dict[str, Any]) -> pa.DataType:
    import pyarrow as pa

    kind = feature.get("_type")
    if kind is None:  # a struct
        return pa.struct([pa.field(name, _arrow_type(f)) for name, f in feature.items()])
    if kind == "Value":
        return {"int64": pa.int64(), "string": pa.string(), "float64": pa.float64()}[feature["dtype"]]
    if kind == "ClassLabel":
        return pa.int64()
    return pa.list_(_arrow_type(feature["feature"]))


def arrow_schema(features: Mapping[str, dict[str, Any]]) -> pa.Schema:
    import pyarrow as pa

    """The Parquet schema, with the features in the ``huggingface`` metadata key (so
    ``ClassLabel`` names survive ``datasets.load_dataset``)."""
    meta = json.dumps({"info": {"features": dict(features)}})
    return pa.schema([pa.field(name, _arrow_type(f)) for name, f in features.items()], metadata={"huggingface": meta})


def identity_columns(document: Mapping[str, Any]) -> dict[str, Any]:
    """The identity column values of a record's document (null where the import had none)."""
    meta = document.get("meta")
    return {
        "document_key": document.get("key") or None,
        "document_external_id": document.get("external_id") or None,
        "document_url": document.get("url") or None,
        "document_published": document.get("published") or None,
        "document_meta": json.dumps(meta, ensure_ascii=False, sort_keys=True) if meta else None,
    }


def hf_card_metadata(
    splits: Mapping[str, Sequence[str]], *, default_config: str = "ner"
) -> dict[str, Any]:
    """The README YAML metadata mapping each config to its Parquet files.

    ``splits`` maps config name → the splits written for it, e.g.
    ``{"ner": ["train", "validation"], "stance": ["train"]}``. Splits keep the order train,
    validation, test.
    """
    configs = []
    for name, present in splits.items():
        ordered = [s for s in HF_SPLITS if s in present] + sorted(
            set(present) - set(HF_SPLITS)
        )
        entry: dict[str, Any] = {
            "config_name": name,
            "data_files": [
                {"split": s, "path": f"{name}/{s}.parquet"} for s in ordered
            ],
        }
        if name == default_config:
            entry["default"] = True
        configs.append(entry)
    return {"configs": configs}


def hf_card_yaml(metadata: Mapping[str, Any]) -> str:
    """``metadata`` as README front matter (``---\n<yaml>---\n``), written without PyYAML."""
    return front_matter(metadata)


class _Sink:
    """One config × split: a Parquet writer fed in batches plus a JSONL copy."""

    def __init__(self, base: Path, config: str, split: str, features: dict[str, Any]) -> None:
        import pyarrow.parquet as pq

        self.features = features
        self.schema: pa.Schema = arrow_schema(features)
        (base / config).mkdir(parents=True, exist_ok=True)
        self.parquet = pq.ParquetWriter(base / config / f"{split}.parquet", self.schema)
        self.jsonl: BinaryIO = open(base / config / f"{split}.jsonl", "wb")  # noqa: SIM115
        self.rows: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: dict[str, Any], named: dict[str, Any]) -> None:
        self.rows.append(row)
        # orjson: UTF-8, sorted keys, compact; the rows carry text, offsets and entities now
        self.jsonl.write(orjson.dumps(named, option=_JSONL))
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.parquet.write_table(
                pa.Table.from_pylist(self.rows, schema=self.schema)
            )
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.parquet.close()
        self.jsonl.close()


class HfWriter:
    """Streaming writer for a Hugging Face dataset folder (see module docstring)."""

    def __init__(self, out_dir: Path, *, schema: LabelSchema) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.features = hf_features(schema)
        tag_names = ner_tag_names(schema)
        self.tag_ids = {name: i for i, name in enumerate(tag_names)}
        labels = list(schema.get("stance", {}).get("labels", []))
        self.stance_ids = {name: i for i, name in enumerate(labels)}
        self.stance_labels = labels
        self.stats = ExportStats("hf")
        self._sinks: dict[tuple[str, str], _Sink] = {}

    def _sink(self, config: str, split: str) -> _Sink:
        sink = self._sinks.get((config, split))
        if sink is None:
            sink = _Sink(self.out_dir, config, split, self.features[config])
            self._sinks[(config, split)] = sink
        return sink

    def add(self, record: GoldRecord) -> None:
        split = hf_split(record_split(record, self.stats))
        sentence = record["sentence"]
        sid, did = sentence["id"], record["document"]["id"]
        self.stats.counts["sentences"] += 1
        words, tags, offsets = sentence_bio(record, self.stats)
        soft = record.get("soft")
        status = {"status": record.get("status", "gold"), "confidence": record.get("confidence")}
        if words:
            ids = []
            for i, tag in enumerate(tags):
                if tag not in self.tag_ids:
                    self.stats.problem(
                        "unknown_entity_label", sentence_id=sid, detail=tag[2:]
                    )
                    tags[i] = "O"
                ids.append(self.tag_ids[tags[i]])
            text = sentence["text"]
            identity = identity_columns(record["document"])
            base = {
                "document_id": did,
                "sentence_id": sid,
                **identity,
                "tokens": words,
                "text": text,
                "token_offsets": offsets,
                **status,
                "entity_confidence": token_confidence(soft, tags, offsets),
                "entities": [
                    {"start": e["start"], "end": e["end"], "label": e["label"]}
                    for e in record["gold"].get("entities", [])
                    if valid_span(e["start"], e["end"], len(text))
                ],
            }
            self._sink("ner", split).add(
                {**base, "ner_tags": ids}, {**base, "ner_tags": tags}
            )
            self.stats.counts["ner_rows"] += 1
        for item in record["gold"].get("stance", []):
            label = item["label"]
            if label not in self.stance_ids:
                self.stats.problem(
                    "unknown_stance_label", sentence_id=sid, detail=label
                )
                continue
            base = {
                "document_id": did,
                "sentence_id": sid,
                **identity_columns(record["document"]),
                "text": sentence["text"],
                "target": item["target"],
                **status,
                "stance_probs": stance_distribution(soft, item["target"], self.stance_labels),
            }
            self._sink("stance", split).add(
                {**base, "label": self.stance_ids[label]}, {**base, "label": label}
            )
            self.stats.counts["stance_rows"] += 1

    def close(self) -> ExportStats:
        present: dict[str, list[str]] = {}
        for (config, split), sink in sorted(self._sinks.items()):
            sink.close()
            present.setdefault(config, []).append(split)
            self.stats.files += [f"{config}/{split}.parquet", f"{config}/{split}.jsonl"]
        ordered = {c: present[c] for c in CONFIGS if c in present}
        default = "ner" if "ner" in ordered else next(iter(ordered), "ner")
        readme = hf_card_yaml(hf_card_metadata(ordered, default_config=default))
        readme += (
            "\nGold annotations exported by Accord. Configs: "
            + ", ".join(f"`{c}`" for c in ordered)
            + ". Load with `datasets.load_dataset(<this folder>, <config>)`.\n"
        )
        (self.out_dir / "README.md").write_text(readme, encoding="utf-8", newline="\n")
        self.stats.files.append("README.md")
        return self.stats


def write_hf(
    records: Iterable[GoldRecord], out_dir: str | Path, *, schema: LabelSchema
) -> ExportStats:
    """Write ``records`` as a Hugging Face dataset folder in ``out_dir``."""
    return run_writer(HfWriter(Path(out_dir), schema=schema), records)
