"""The dataset card (``README.md`` of a bundle): pure, no Django.

:class:`CardStats` counts what a card reports while records stream past (one pass, small state);
:func:`dataset_card` renders the card: Hugging Face YAML front matter (license, configs pointing at
the bundle's ``hf/`` Parquet files, ``dataset_info`` with features and split sizes) followed by
prose a person reads before training on the data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.text import counted
from annotator.exports.coverage import STATUS_MEANING, STATUSES
from annotator.exports.formats import GoldRecord
from annotator.exports.formats._common import HF_SPLITS, SPLITS
from annotator.exports.formats.hf import hf_card_yaml

ADJUDICATION_METHODS = {
    "adjudicated": "edited or merged by a lead in adjudication",
    "accepted": "one annotator's version accepted by a lead",
    "majority": "majority vote over annotators",
    "dawid-skene": "Dawid-Skene aggregation (per-annotator confusion, EM)",
    "demo": "demo fixture",
}


@dataclass
class CardStats:
    """Counts for the card: sentences/documents per split, labels per layer, gold sources."""

    sentences: Counter[str] = field(default_factory=Counter)
    documents: Counter[str] = field(default_factory=Counter)
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)  # (split, label)
    stance: Counter[tuple[str, str]] = field(default_factory=Counter)  # (target, label)
    events: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    annotators: set[str] = field(default_factory=set)
    # every sentence streamed, kept or not: (status, split) → sentences
    coverage: Counter[tuple[str, str]] = field(default_factory=Counter)
    included: Counter[tuple[str, str]] = field(default_factory=Counter)
    _last_document: object = None

    def cover(self, record: GoldRecord, included: bool) -> None:
        """Count one sentence of the project by status and split, and whether the export keeps it."""
        key = (str(record.get("status") or "gold"), str(record["document"].get("split") or "train"))
        self.coverage[key] += 1
        if included:
            self.included[key] += 1

    def coverage_dict(self) -> dict[str, Any]:
        """``{status: {"train": n, ..., "total": n, "exported": n}}`` for every status."""
        out: dict[str, Any] = {}
        for status in STATUSES:
            row = {split: self.coverage.get((status, split), 0) for split in SPLITS}
            row["total"] = sum(n for (st, _), n in self.coverage.items() if st == status)
            row["exported"] = sum(n for (st, _), n in self.included.items() if st == status)
            out[status] = row
        return out

    def add(self, record: GoldRecord) -> None:
        split = str(record["document"].get("split") or "train")
        self.sentences[split] += 1
        if record["document"]["id"] != self._last_document:
            self._last_document = record["document"]["id"]
            self.documents[split] += 1
        gold = record["gold"]
        for ent in gold.get("entities", []):
            self.entities[(split, str(ent.get("label")))] += 1
        for item in gold.get("stance", []):
            self.stance[(str(item.get("target")), str(item.get("label")))] += 1
        for event in gold.get("events", []):
            self.events[str(event.get("type"))] += 1
        self.sources[str((record.get("provenance") or {}).get("source") or "unknown")] += 1
        for raw in record.get("raw") or []:
            self.annotators.add(raw["annotator"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentences": dict(sorted(self.sentences.items())),
            "documents": dict(sorted(self.documents.items())),
            "entities": {f"{s}|{label}": n for (s, label), n in sorted(self.entities.items())},
            "stance": {f"{t}|{label}": n for (t, label), n in sorted(self.stance.items())},
            "events": dict(sorted(self.events.items())),
            "sources": dict(sorted(self.sources.items())),
        }


def card_metadata(
    *,
    name: str,
    license_name: str,
    features: Mapping[str, list[dict[str, Any]]],
    hf_splits: Mapping[str, Mapping[str, int]],
    hf_bytes: Mapping[str, Mapping[str, int]] | None = None,
    prefix: str = "hf/",
) -> dict[str, Any]:
    """YAML metadata. ``features``: config → ``datasets.Features._to_yaml_list()``;
    ``hf_splits``: config → {split: rows} for the Parquet files written under ``prefix``;
    ``hf_bytes``: config → {split: uncompressed bytes} (``datasets`` warns when the card's
    splits lack ``num_bytes``)."""
    configs = []
    infos = []
    for config, splits in hf_splits.items():
        ordered = [s for s in HF_SPLITS if s in splits] + sorted(set(splits) - set(HF_SPLITS))
        entry: dict[str, Any] = {
            "config_name": config,
            "data_files": [{"split": s, "path": f"{prefix}{config}/{s}.parquet"} for s in ordered],
        }
        if config == "ner" or len(hf_splits) == 1:
            entry["default"] = True
        configs.append(entry)
        infos.append(
            {
                "config_name": config,
                "features": list(features[config]),
                "splits": [
                    {"name": s, "num_bytes": int((hf_bytes or {}).get(config, {}).get(s, 0)), "num_examples": int(splits[s])}
                    for s in ordered
                ],
            }
        )
    return {
        "license": license_name,
        "pretty_name": name,
        "task_categories": ["token-classification", "text-classification"],
        "configs": configs,
        "dataset_info": infos,
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def agreement_lines(report: Mapping[str, Any] | None) -> list[str]:
    """Agreement prose from a CONTRACT.md agreement report, or a 'not computed yet' line."""
    if not report:
        return ["Agreement: not computed yet (run `compute_agreement` and export again)."]
    lines = [f"Computed at {report.get('computed_at', '?')} over {report.get('sentences', '?')} sentences."]
    for target, fig in (report.get("stance") or {}).items():
        lines.append(
            f"- Stance toward “{target}”: Krippendorff's α {_fmt(fig.get('alpha'))}"
            f" (95% CI {_fmt(fig.get('alpha_ci95'))}), Fleiss' κ {_fmt(fig.get('fleiss_kappa'))},"
            f" {fig.get('items', '?')} items"
            + (f" — {fig['alpha_note']}" if fig.get("alpha_note") else "")
        )
    events = report.get("events") or {}
    if events:
        trig = events.get("trigger_f1") or {}
        lines.append(
            f"- Events: MASI α {_fmt(events.get('masi_alpha'))}; trigger F1 exact"
            f" {_fmt(trig.get('exact'))}, overlap {_fmt(trig.get('overlap'))}"
        )
        for etype, fig in (events.get("types") or {}).items():
            lines.append(f"  - {etype}: α {_fmt(fig.get('alpha'))} ({_positives(fig.get('positives'))})")
        parts = events.get("parts") or {}
        if parts:
            lines.append("- Event parts (ACE scoring, F1 mean over annotator pairs): " + ", ".join(
                f"{name.replace('_', ' ')} {_fmt((parts.get(name) or {}).get('f1'))}"
                for name in ("trigger_identification", "trigger_classification",
                             "argument_identification", "argument_classification")))
    ents = report.get("entities") or {}
    if ents:
        lines.append(
            f"- Entities: pairwise span F1 exact {_fmt((ents.get('exact') or {}).get('f1'))},"
            f" overlap {_fmt((ents.get('overlap') or {}).get('f1'))}"
        )
        for label, fig in (ents.get("per_label") or {}).items():
            lines.append(f"  - {label}: exact F1 {_fmt(fig.get('exact_f1'))}, overlap F1 {_fmt(fig.get('overlap_f1'))}")
        if ents.get("unitizing_alpha"):
            lines.append(f"- Entity span boundaries: Krippendorff's unitizing α {_fmt(ents['unitizing_alpha'].get('alpha'))}")
    return lines


def loading_code(*, configs: Sequence[str], formats: Sequence[str]) -> list[str]:
    """The card's example code: runs as is from the unzipped bundle's folder, whatever splits
    it holds (a one-document project has one split). ``configs``: the Hugging Face configs the
    card's metadata lists; ``formats``: the bundle's format folders."""
    lines = ["```python", *(["import datasets"] if configs else []), "import json", "from pathlib import Path"]
    if "spacy" in formats:
        lines += ["", "import spacy", "from spacy.tokens import DocBin"]
    lines.append("")
    lines += ['folder = Path(".").resolve()  # the unzipped bundle: the folder of this README']
    for config in configs:
        what = {"ner": "tokens, ner_tags, text, token_offsets, entities", "stance": "text, target, label"}.get(config, "")
        lines.append(
            f'{config} = datasets.load_dataset(str(folder), "{config}")'
            + (f"  # {what}" if what else "")
        )
    if configs:
        lines.append(f"print({configs[0]})  # the splits present: train, validation (our dev), test")
    if "spacy" in formats:
        lines += [
            'nlp = spacy.blank("en")',
            'docs = [doc for path in sorted((folder / "spacy").rglob("*.spacy"))',
            '        for doc in DocBin().from_disk(path).get_docs(nlp.vocab)]  # doc.user_data["split"]',
        ]
    if "jsonl" in formats:
        lines += [
            'with open(folder / "jsonl" / "gold.jsonl", encoding="utf-8") as fh:',
            "    records = [json.loads(line) for line in fh]  # everything, exact offsets",
        ]
    if "oneie" in formats:
        lines.append('oneie = {p.name: p for p in (folder / "oneie").glob("*.oneie.json")}  # OneIE IEDataset files')
    lines.append("```")
    return lines


def oneie_lines() -> list[str]:
    """How to give the OneIE files the word pieces of the encoder one trains with."""
    return [
        "OneIE files carry `pieces`/`token_lens` with one piece per token. OneIE feeds the pieces"
        " to its encoder, so give them your encoder's pieces first (needs `transformers`):",
        "",
        "```python",
        "import json",
        "from pathlib import Path",
        "",
        "from transformers import AutoTokenizer",
        "",
        'tokenizer = AutoTokenizer.from_pretrained("bert-large-cased")  # the encoder OneIE trains with',
        'for path in Path("oneie").glob("*.oneie.json"):',
        "    rows = [json.loads(line) for line in path.read_text(encoding=\"utf-8\").splitlines()]",
        "    for row in rows:",
        "        pieces = [tokenizer.tokenize(t) or [tokenizer.unk_token] for t in row[\"tokens\"]]",
        '        row["pieces"] = [p for ps in pieces for p in ps]',
        '        row["token_lens"] = [len(ps) for ps in pieces]',
        '    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\\n" for r in rows), encoding="utf-8")',
        "```",
        "",
    ]


def coverage_summary(coverage: Mapping[str, Mapping[str, int]]) -> str:
    """One line for people: ``coverage: 372 of 458 sentences in the files (gold 300, adjudicated
    72); left out: 86 disputed (--status all includes every sentence)``."""
    total = sum(row["total"] for row in coverage.values())
    exported = sum(row["exported"] for row in coverage.values())
    kept = ", ".join(f"{st} {row['exported']}" for st, row in coverage.items() if row["exported"])
    left = ", ".join(f"{row['total'] - row['exported']} {st}" for st, row in coverage.items()
                     if row["total"] > row["exported"])
    line = f"coverage: {exported} of {total} sentences in the files ({kept or 'none'})"
    return line + (f"; left out: {left} (--status all includes every sentence)" if left else "")


def coverage_lines(
    stats: CardStats, selection: Mapping[str, Any], agreement: Mapping[str, Any] | None
) -> list[str]:
    """The coverage section: every sentence of the project by status and split, what this export
    keeps, the aggregation's method and threshold, and how to get the rest."""
    cov = stats.coverage_dict()
    total = sum(row["total"] for row in cov.values())
    exported = sum(row["exported"] for row in cov.values())
    run = selection.get("run")
    lines = [
        "## Coverage",
        "",
        f"The project has {total} sentences; this export holds {exported} of them"
        f" (statuses kept: {selection.get('filter', 'gold, adjudicated')}). Every sentence is counted here,"
        " kept or not; `coverage.csv` lists each one with its status, confidence and whether it is in the files.",
        "",
        *_table(
            ["status", "meaning", *SPLITS, "total", "in this export"],
            [(st, STATUS_MEANING[st], *[cov[st][s] for s in SPLITS], cov[st]["total"], cov[st]["exported"])
             for st in STATUSES],
        ),
        "",
    ]
    if run:
        lines.append(
            f"- Machine gold comes from the latest aggregation run: {ADJUDICATION_METHODS.get(run['method'], run['method'])},"
            f" threshold {run['threshold']:g} (a decision is accepted when at least that fraction of a sentence's"
            f" annotators agree{'' if run['method'] == 'majority' else ', or its posterior reaches it'}), run at"
            f" {run.get('computed_at')}. Machine gold that run did not confirm is not gold here."
        )
        if run.get("confusion"):
            lines.append("- Its per-annotator confusion matrices are in `confusion.json`.")
    else:
        lines.append("- No aggregation has run: gold here is only what leads decided (or loaded fixtures).")
    lines += [
        "- A lead's decision always wins over machine gold and is marked: status `adjudicated`, `provenance.by`.",
        "- Soft labels (vote fractions; Dawid–Skene posteriors) are in `jsonl` (`soft`) and as `hf` columns"
        " (`entity_confidence`, `stance_probs`); `confidence` is per sentence.",
        "- In brat, every sentence that is not gold or adjudicated carries an `Unresolved` span with a note"
        " (and is listed in `brat/unresolved.tsv`): no annotation there does not mean no entity.",
        "- A bundle exported with `raw` has `raw.jsonl`: every annotator's submitted labels (pseudonymous ids)"
        " for every submitted sentence, disputed ones included, whatever the files keep.",
        "- CoNLL, spaCy, OneIE and stance CSV carry no per-sentence status: when an export keeps more than"
        " `gold` and `adjudicated`, read each sentence's status from `jsonl`, `hf` or `coverage.csv`.",
    ]
    missing = [st for st in STATUSES if cov[st]["total"] > cov[st]["exported"]]
    if missing:
        slug = selection.get("slug", "SLUG")
        pid = selection.get("project_id", "ID")
        left = ", ".join(f"{cov[st]['total'] - cov[st]['exported']} {st}" for st in missing)
        lines += [
            f"- Left out of the files: {left}. To get them: `python manage.py export_gold {slug} --format bundle"
            " --status all --raw --out gold.zip`, or `POST /api/projects/" + f"{pid}"
            "/exports/ {\"format\": \"bundle\", \"status\": \"all\", \"raw\": true}`; every record says its"
            " `status` and `confidence`.",
        ]
    if agreement and agreement.get("sentences") is not None:
        lines.append(
            f"- Agreement (below) was computed over the {agreement['sentences']} sentences that had submitted"
            f" annotations then; this export holds {exported} sentences (table above)."
        )
    return [*lines, ""]


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return out


def dataset_card(
    *,
    metadata: Mapping[str, Any],
    project: Mapping[str, Any],
    schema: Mapping[str, Any],
    stats: CardStats,
    format_counts: Mapping[str, Mapping[str, int]],
    agreement: Mapping[str, Any] | None,
    tokenizer: str,
    export: Mapping[str, Any],
    selection: Mapping[str, Any] | None = None,
) -> str:
    """The card text. ``project``: name, slug, guidelines_version, overlap, annotators (count);
    ``format_counts``: format → writer counters (snapped, excluded_overlapping, ...);
    ``export``: content_sha256, exported_at (when this content was first exported), seed,
    formats (list). The card names no export number or current time, so the same data always
    gives the same card. ``selection``: the record filter (``filter`` text, ``statuses``,
    ``min_confidence``), the latest aggregation ``run`` (method, threshold, computed_at,
    confusion) and ``slug``/``project_id`` for the "how to get the rest" commands."""
    entity_names = [e["name"] for e in schema.get("entity_types", [])]
    stance = schema.get("stance") or {}
    lines = [
        f"# {project['name']} — gold dataset",
        "",
        f"Content SHA-256 `{export.get('content_sha256', '')}`: the version of this data (the SHA-256 of the"
        " `SHA256SUMS` lines of every file but this card; the same data always has the same SHA and"
        " version number). First exported by Accord from project"
        f" `{project['slug']}` at {export['exported_at']} (UTC).",
        "",
        "## Loading",
        "",
        *loading_code(
            configs=[str(c["config_name"]) for c in metadata.get("configs", [])],
            formats=list(export["formats"]),
        ),
        "",
        "Splits are by document: `train`, `dev` and `test` in every folder and in `splits.csv`,"
        " except Hugging Face's `hf/`, where `dev` is called `validation` (its token-classification"
        " examples expect that name). A split without documents has no file.",
        "",
        *(oneie_lines() if "oneie" in export["formats"] else []),
        "Folders: " + ", ".join(f"`{f}/`" for f in export["formats"]) + "; `splits.csv` maps every"
        " document to its split; `SHA256SUMS` checks every file (`sha256sum -c SHA256SUMS`).",
        "",
        "## Label schema",
        "",
        "- Entity types: " + (", ".join(f"`{n}`" for n in entity_names) or "none"),
        "- Stance targets: " + (", ".join(f"“{t}”" for t in stance.get("targets", [])) or "none")
        + "; labels: " + (", ".join(f"`{label}`" for label in stance.get("labels", [])) or "none"),
        "- Event types: " + (", ".join(
            f"`{e['name']}` ({', '.join(e.get('roles', []))})" for e in schema.get("event_types", [])) or "none"),
        f"- Overlapping entities allowed: {'yes' if schema.get('allow_overlapping_entities') else 'no'}",
        "",
        "## How it was made",
        "",
        f"- Annotation guidelines version {project['guidelines_version']}.",
        f"- Tokenizer: {tokenizer}. Offsets are 0-based, end-exclusive Unicode code points into the"
        " sentence text (`text[start:end]`).",
        f"- {project['annotators']} annotators; each sentence was assigned to {project['overlap']} of them.",
        "- Gold decided by: " + (", ".join(
            f"{ADJUDICATION_METHODS.get(s, s)} ({n})" for s, n in sorted(stats.sources.items())) or "nothing yet"),
        f"- Splits by document (seed {export['seed']}): a document and all its sentences are in one split,"
        " and keep it across re-exports.",
        "",
        *coverage_lines(stats, selection or {}, agreement),
        "## Agreement",
        "",
        *agreement_lines(agreement),
        "",
        "## Counts",
        "",
        *_table(
            ["split", "documents", "sentences"],
            [(s, stats.documents.get(s, 0), stats.sentences.get(s, 0)) for s in SPLITS if stats.sentences.get(s)],
        ),
        "",
    ]
    if stats.entities:
        labels = sorted({label for _, label in stats.entities})
        lines += _table(
            ["entity label", *[s for s in SPLITS if stats.sentences.get(s)]],
            [(label, *[stats.entities.get((s, label), 0) for s in SPLITS if stats.sentences.get(s)]) for label in labels],
        ) + [""]
    if stats.stance:
        lines += _table(["stance target", "label", "sentences"], [(t, lab, n) for (t, lab), n in sorted(stats.stance.items())]) + [""]
    if stats.events:
        lines += _table(["event type", "mentions"], sorted(stats.events.items())) + [""]
    # each token format counts the same spans, so the largest count is the true one
    split_tokens = max((c.get("split_tokens", 0) for c in format_counts.values() if c), default=0)
    snapped = max((c.get("snapped", 0) for c in format_counts.values() if c), default=0)
    excluded = max((c.get("excluded_overlapping", 0) for c in format_counts.values() if c), default=0)
    unalignable = max((c.get("unalignable_entity", 0) for c in format_counts.values() if c), default=0)
    lines += [
        "## Known limitations",
        "",
        f"- {split_tokens} tokens were split where a span (entity, trigger or argument) began or ended inside"
        " them (\"U.S.\" in \"U.S.-led\" → \"U.S.\", \"-led\"), so in the token formats (CoNLL, Hugging Face"
        " `ner`, spaCy, OneIE) every span's text equals its character slice; the tokens of a split token"
        " differ from the tokenizer's.",
        *([f"- {snapped} entity spans began or ended in whitespace and were trimmed to their tokens in the"
           " token formats; `jsonl`, brat and `hf` `entities` keep the exact offsets."] if snapped else []),
        f"- {excluded} overlapping entities cannot be written as BIO tags: CoNLL, `ner` and spaCy `doc.ents`"
        " keep the longest one; all of them are in spaCy `doc.spans[\"sc\"]`, `jsonl`, brat and OneIE.",
        f"- {unalignable} entity spans lie under no token and are only in `jsonl` and brat.",
        "- Stance is sentence-level; brat has no stance. Targets without a gold stance have no row in `stance`.",
        "- Gold labels reflect the listed aggregation; confidence values are in `jsonl` provenance.",
        "",
    ]
    return hf_card_yaml(metadata) + "\n" + "\n".join(lines)


def _positives(n: object) -> str:
    """``1 positive``, ``3 positives``; ``? positives`` when the report has no count."""
    return counted(n, "positive") if isinstance(n, int) else "? positives"
