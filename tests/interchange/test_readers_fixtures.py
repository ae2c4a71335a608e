"""brat and CoNLL fixtures written by hand (emoji, a combining mark, CRLF text, a
discontinuous span, a span across sentences, an unknown label, IOB1 input), and malformed
files refused with file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.interchange.readers import read
from annotator.interchange.sources import members_from_path
from annotator.interchange.types import ReadError, ReadOptions

FIXTURES = Path(__file__).parent / "fixtures"


def spans(result, annotator):
    (doc,) = [d for d in result.documents if any(a.annotator == annotator for a in d.annotations)][:1]
    (ann,) = [a for a in doc.annotations if a.annotator == annotator]
    return doc, ann


def test_brat_reads_code_points_of_crlf_text_with_emoji_and_combining_mark():
    result = read("brat", members_from_path(FIXTURES / "brat"))
    assert result.errors == []
    (doc,) = result.documents
    assert "\r\n" in doc.text and "e\u0301" in doc.text
    by = {a.annotator: a for a in doc.annotations}
    assert sorted(by) == ["ann1", "ann2"]
    got = [(doc.text[s.start : s.end], s.label) for s in by["ann1"].entities]
    assert got == [("Zoë", "PER"), ("Rene\u0301 Dubois", "PER"), ("Kyiv", "GPE"), ("Kim Jong-un", "PER"), ("Monday", "DATE")]


def test_brat_event_roles_lose_brat_numbering_and_trigger_is_not_an_entity():
    result = read("brat", members_from_path(FIXTURES / "brat"))
    ann1 = {a.annotator: a for a in result.documents[0].annotations}["ann1"]
    (event,) = ann1.events
    text = result.documents[0].text
    assert event.type == "Contact-Meet" and text[event.trigger_start : event.trigger_end] == "signed"
    assert [(a.role, text[a.start : a.end]) for a in event.arguments] == [("Entity", "Kim Jong-un"), ("Entity", "Rene\u0301 Dubois")]
    assert any(p.where.line == 8 and "not imported" in p.reason for p in result.notes)  # the A line


def test_brat_discontinuous_span_is_reported_not_guessed():
    result = read("brat", members_from_path(FIXTURES / "brat"))
    (misfit,) = result.misfits
    assert misfit.where.file == "ann2/news.ann" and misfit.where.line == 3 and "discontinuous" in misfit.reason
    ann2 = {a.annotator: a for a in result.documents[0].annotations}["ann2"]
    text = result.documents[0].text
    # the fragments split only by a line break are one span (it crosses the sentence boundary)
    assert [(text[s.start : s.end], s.label) for s in ann2.entities] == [
        ("Rene\u0301 Dubois", "PER"), ("Kyiv", "LOC"), ("Kyiv.\r\nThe pact", "ORG"),
    ]


def test_brat_t_line_past_the_text_is_refused_with_file_line_and_reason():
    result = read("brat", members_from_path(FIXTURES / "brat-bad"))
    (error,) = result.errors
    assert (error.where.file, error.where.line) == ("ann1/news.ann", 2)
    assert "past the text" in error.reason
    with pytest.raises(ReadError, match=r"ann1/news.ann:2: T2 offsets 500 504 point past the text"):
        result.raise_for_errors()


def test_brat_top_level_files_belong_to_as_user():
    members = [("news.txt", b"Kim met Putin."), ("news.ann", b"T1\tPER 0 3\tKim\n")]
    result = read("brat", members, ReadOptions(as_user="lee"))
    assert result.annotators == ["lee"]


def test_conll_iob2_and_iob1_files_read_the_same_entities_per_annotator():
    result = read("conll", members_from_path(FIXTURES / "conll"))
    assert result.errors == []
    assert [d.key for d in result.documents] == ["document-1", "document-2"]
    first = result.documents[0]
    assert first.text.startswith("Zoë met Rene\u0301 Dubois in Kyiv 👍 .\nThe pact 🇺🇦 was")
    by = {a.annotator: a for a in first.annotations}
    ann1 = [(first.text[s.start : s.end], s.label) for s in by["ann1"].entities]
    ann2 = [(first.text[s.start : s.end], s.label) for s in by["ann2"].entities]
    assert ann1 == [("Zoë", "PER"), ("Rene\u0301 Dubois", "PER"), ("Kyiv", "GPE"), ("Kim Jong-un", "PER"), ("Monday", "DATE")]
    # IOB1: I- after O starts an entity, B- separates two adjacent entities of one type
    assert ann2 == [("Zoë", "PER"), ("Rene\u0301 Dubois", "PER"), ("Kyiv", "LOC"), ("Kim Jong-un", "PER"), ("on", "DATE"), ("Monday", "DATE")]
    (note,) = [p for p in result.notes if p.where.file == "ann2.conll"]
    assert "IOB1" in note.reason


def test_conll_single_file_annotator_is_as_user():
    result = read("conll", members_from_path(FIXTURES / "conll" / "ann1.conll"), ReadOptions(as_user="kim"))
    assert result.annotators == ["kim"]


def test_conll_unknown_tag_is_refused_with_line():
    result = read("conll", [("a.conll", b"Kim B-PER\nmet X-Y\n")])
    (error,) = result.errors
    assert (error.where.file, error.where.line) == ("a.conll", 2) and "unknown tag" in error.reason


def test_conll_documents_with_other_tokens_are_refused():
    result = read("conll", [("a.conll", b"Kim B-PER\n"), ("b.conll", b"Kimberly B-PER\n")])
    assert [e.where.file for e in result.errors] == ["b.conll"]


def test_bad_json_on_line_7_is_refused_with_file_line_and_reason():
    result = read("doccano", members_from_path(FIXTURES / "jsonl-bad"))
    (error,) = result.errors
    assert (error.where.file, error.where.line) == ("ann1.jsonl", 7)
    assert "not valid JSON" in error.reason


def test_labelstudio_bad_json_names_the_line():
    data = b'[\n {"id": 1,\n  "data": {"text": "x"}\n  "annotations": []}\n]'
    result = read("labelstudio", [("export.json", data)])
    (error,) = result.errors
    assert (error.where.file, error.where.line) == ("export.json", 4)


def test_labelstudio_utf16_offsets_are_detected_by_their_text_and_reported():
    text = "👍 Kyiv and 𠮷 Seoul"
    task = {
        "id": 1,
        "data": {"text": text},
        "annotations": [{"completed_by": 5, "result": [
            {"type": "labels", "value": {"start": 3, "end": 7, "text": "Kyiv", "labels": ["GPE"]}},  # UTF-16
            {"type": "labels", "value": {"start": 13, "end": 18, "text": "Seoul", "labels": ["GPE"]}},  # code points
            {"type": "labels", "value": {"start": 0, "end": 4, "text": "Paris", "labels": ["GPE"]}},  # neither
        ]}],
    }
    import json

    result = read("labelstudio", [("old.json", json.dumps([task]).encode())])
    (ann,) = result.documents[0].annotations
    assert [text[s.start : s.end] for s in ann.entities] == ["Kyiv", "Seoul"]
    assert any("UTF-16" in p.reason and p.reason.startswith("1 span") for p in result.notes)
    (misfit,) = result.misfits
    assert "not the span's text 'Paris'" in misfit.reason and "result 2" in misfit.where.detail


def test_doccano_span_past_the_text_is_a_misfit_not_a_crash():
    data = b'{"id": 1, "text": "Kim met Putin.", "entities": [[500, 600, "PER"], [0, 3, "PER"]], "cats": []}\n'
    result = read("doccano", [("ann1.jsonl", data)])
    (misfit,) = result.misfits
    assert misfit.where.line == 1 and "do not fit" in misfit.reason
    assert len(result.documents[0].annotations[0].entities) == 1


@pytest.mark.parametrize("depth", [40, 100_000])
def test_json_nested_too_deep_is_an_error_not_a_crash(depth):
    nested = b"[" * depth + b"]" * depth
    ls = read("labelstudio", [("export.json", nested)])
    assert [e.reason for e in ls.errors] == ["JSON nested deeper than 32 levels (or null)"]
    line = b'{"id": 1, "text": "x", "cats": ' + nested + b"}\n"
    dc = read("doccano", [("a.jsonl", b'{"id": 0, "text": "ok", "cats": ["a"]}\n' + line)])
    (error,) = dc.errors
    assert error.where.line == 2 and "nested deeper" in error.reason


def test_a_zip_is_read_by_content_and_hidden_members_are_left_out():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/ann1.jsonl", '{"id": 1, "text": "Kim met Putin.", "entities": [[0, 3, "PER"]]}\n')
        archive.writestr("__MACOSX/export/._ann1.jsonl", "junk")
        archive.writestr("export/.DS_Store", "junk")
    from annotator.interchange.sources import members_from_bytes

    members = members_from_bytes("upload.bin", buffer.getvalue())
    assert [name for name, _ in members] == ["export/ann1.jsonl"]
    assert read("doccano", members).annotators == ["ann1"]


def test_a_zip_with_too_many_files_or_bytes_is_refused(monkeypatch):
    import io
    import zipfile

    from annotator.interchange import sources

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(4):
            archive.writestr(f"a/{n}.ann", "x" * 100)
    monkeypatch.setattr(sources, "MAX_MEMBERS", 3)
    with pytest.raises(ReadError, match="holds 4 files; at most 3"):
        sources.members_from_bytes("up.zip", buffer.getvalue())
    monkeypatch.setattr(sources, "MAX_MEMBERS", 10)
    with pytest.raises(ReadError, match="more than 250 bytes"):
        sources.members_from_bytes("up.zip", buffer.getvalue(), max_bytes=250)
