"""The dataset card (pure)."""

from __future__ import annotations

from annotator.exports.card import CardStats, agreement_lines, card_metadata, dataset_card


def test_agreement_section_says_not_computed_without_a_report():
    assert agreement_lines(None) == ["Agreement: not computed yet (run `compute_agreement` and export again)."]


def test_agreement_section_prints_figures_and_undefined_values_with_their_note():
    report = {
        "computed_at": "2025-01-01T00:00:00Z", "sentences": 12,
        "stance": {"the pact": {"alpha": None, "alpha_note": "a single category everywhere", "alpha_ci95": None,
                                "fleiss_kappa": 0.5, "items": 12}},
        "events": {"masi_alpha": 0.61, "trigger_f1": {"exact": 0.7, "overlap": 0.8}, "types": {}},
        "entities": {"exact": {"f1": 0.81}, "overlap": {"f1": 0.9}, "per_label": {"GPE": {"exact_f1": 0.9, "overlap_f1": 1.0}}},
    }
    text = "\n".join(agreement_lines(report))
    assert "α undefined" in text and "a single category everywhere" in text
    assert "MASI α 0.610" in text and "exact 0.810" in text and "GPE: exact F1 0.900" in text


def test_agreement_section_prints_the_structure_figures():
    report = {"events": {"parts": {"trigger_identification": {"f1": 0.9}, "trigger_classification": {"f1": 0.8},
                                   "argument_identification": {"f1": None}, "argument_classification": {"f1": 0.5}}},
              "entities": {"unitizing_alpha": {"alpha": 0.75}}}
    text = "\n".join(agreement_lines(report))
    assert "trigger identification 0.900, trigger classification 0.800, argument identification undefined" in text
    assert "unitizing α 0.750" in text


def test_card_has_hf_yaml_with_license_configs_features_and_splits():
    stats = CardStats()
    record = {"document": {"id": 1, "title": "t", "split": "train"},
              "sentence": {"id": 1, "index": 0, "start": 0, "end": 6, "text": "Russia", "tokens": [[0, 6]]},
              "gold": {"entities": [{"start": 0, "end": 6, "label": "GPE"}], "stance": [], "events": []},
              "provenance": {"source": "adjudicated"}}
    stats.add(record)  # type: ignore[arg-type]
    meta = card_metadata(name="P", license_name="cc-by-4.0", features={"ner": [{"name": "tokens", "list": "string"}]},
                         hf_splits={"ner": {"train": 1}})
    card = dataset_card(metadata=meta, project={"name": "P", "slug": "p", "guidelines_version": 3, "overlap": 2,
                                                "annotators": 3},
                        schema={"entity_types": [{"name": "GPE"}]}, stats=stats, format_counts={"conll": {"split_tokens": 3, "snapped": 2}},
                        agreement=None, tokenizer="spaCy 3 blank('en')", export={"version": 4, "exported_at": "now",
                                                                                  "seed": 0, "formats": ["hf"]})
    assert card.startswith("---\nlicense: cc-by-4.0\n")
    assert "path: hf/ner/train.parquet" in card and "num_examples: 1" in card
    assert "guidelines version 3" in card and "3 annotators" in card and "2 of them" in card
    assert "edited or merged by a lead in adjudication (1)" in card
    assert "3 tokens were split where a span" in card and "2 entity spans began or ended in whitespace" in card
    assert "| GPE | 1 |" in card and "| train | 1 | 1 |" in card


def test_card_code_names_no_split_file_and_only_the_configs_present():
    meta = card_metadata(name="P", license_name="unknown", features={"ner": []}, hf_splits={"ner": {"validation": 3}})
    assert [d["split"] for d in meta["configs"][0]["data_files"]] == ["validation"]
    card = dataset_card(metadata=meta, project={"name": "P", "slug": "p", "guidelines_version": 1, "overlap": 2,
                                                "annotators": 2},
                        schema={}, stats=CardStats(), format_counts={"conll": {"snapped": 0}}, agreement=None,
                        tokenizer="t", export={"version": 1, "exported_at": "now", "seed": 0,
                                               "formats": ["jsonl", "spacy", "hf"]})
    code = card.split("```python\n", 1)[1].split("```", 1)[0]
    assert "train.spacy" not in code and "dev" not in code.replace("(our dev)", "")
    assert 'datasets.load_dataset(str(folder), "ner")' in code and '"stance"' not in code
    assert "began or ended in whitespace" not in card  # no such spans: no line
    compile(code, "card", "exec")
