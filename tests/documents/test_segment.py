from pathlib import Path

import pytest

from annotator.documents.segment import segment_text

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "article.json"


def check_offsets(text: str) -> list:
    sentences = segment_text(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip(), f"whitespace at a sentence edge: {s.text!r}"
        for start, end in s.tokens:
            assert s.text[start:end] and not s.text[start:end].isspace()
    assert [s.index for s in sentences] == list(range(len(sentences)))
    return sentences


def test_seed_article_sentences_have_exact_offsets_and_keep_us_together():
    import json

    article = json.loads(SEED.read_text("utf-8"))
    sentences = check_offsets(article["text"])
    texts = [s.text for s in sentences]
    assert texts[0].startswith("MOSCOW (AP) — Russian lawmakers")
    assert any("the U.S. confirmed the deployment" in t for t in texts), "U.S. must not end a sentence"
    assert any("“all means”" in t for t in texts), "curly quotes survive"
    assert not any(t in {"U.S.", "S."} for t in texts)


def test_abbreviations_do_not_split_sentences():
    sentences = check_offsets("The U.S. and the U.K. met Dr. Smith on Jan. 5. Then they left.")
    assert [s.text for s in sentences] == ["The U.S. and the U.K. met Dr. Smith on Jan. 5.", "Then they left."]


def test_closing_quote_stays_with_its_sentence():
    sentences = check_offsets("He said: “We will win.” Then he left.")
    assert [s.text for s in sentences] == ["He said: “We will win.”", "Then he left."]


def test_emoji_before_entity_keeps_code_point_offsets():
    text = "🚀 Putin met Kim. 👩‍👩‍👧 Families watched."
    sentences = check_offsets(text)
    first = sentences[0]
    start = first.text.index("Putin")
    assert start == 2  # code points, as Python slicing counts
    assert [first.text[a:b] for a, b in first.tokens][:2] == ["🚀", "Putin"]


def test_empty_lines_and_windows_line_endings():
    text = "Title line\r\n\r\n\r\nFirst sentence here.  Second one!\r\n   \r\nLast line without stop\r\n"
    sentences = check_offsets(text)
    assert [s.text for s in sentences] == ["Title line", "First sentence here.", "Second one!", "Last line without stop"]
    assert all("\r" not in s.text for s in sentences)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\r\n"])
def test_blank_text_has_no_sentences(text):
    assert segment_text(text) == []


def test_non_ascii_text_survives_byte_for_byte():
    text = "Пхеньян — столица КНДР. Zürich’s “Grüße” – naïve café 東京."
    sentences = check_offsets(text)
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "")


def test_an_opening_bracket_or_quote_starts_the_next_sentence_not_ends_this_one():
    sentences = check_offsets("They met on June 19, 2024. (Photo by AP) “Never,” she said.")
    assert [s.text for s in sentences] == ["They met on June 19, 2024.", "(Photo by AP) “Never,” she said."]


def test_tokens_never_split_a_grapheme_cluster():
    """Issue 13, bug 5: spaCy splits ZWJ sequences and flags; our tokens keep them whole."""
    text = "The family 👩‍👩‍👧 fled Ukraine 🇺🇦🇷🇺 today, café.\n"
    (sentence,) = segment_text(text)
    words = [sentence.text[s:e] for s, e in sentence.tokens]
    assert words == ["The", "family", "👩‍👩‍👧", "fled", "Ukraine", "🇺🇦", "🇷🇺", "today", ",", "café", "."]
    combining = "Cafe\u0301 👍🏽 ok.\n"
    (sentence,) = segment_text(combining)
    assert [sentence.text[s:e] for s, e in sentence.tokens] == ["Cafe\u0301", "👍🏽", "ok", "."]
