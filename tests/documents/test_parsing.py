import pytest

from annotator.documents.parsing import ArticleFileError, content_hash, parse_article_file

LIMITS = {"max_bytes": 10_000, "max_chars": 5_000}


def parse(name: str, data: bytes):
    return parse_article_file(name, data, **LIMITS)


def error_of(name: str, data: bytes) -> ArticleFileError:
    with pytest.raises(ArticleFileError) as info:
        parse(name, data)
    return info.value


def test_txt_first_non_empty_line_is_the_title():
    [article] = parse("a.txt", b"\n\n  My Title  \n\nBody one.\nBody two.\n")
    assert article.title == "My Title"
    assert article.text == "Body one.\nBody two."


def test_jsonl_reads_fields_and_keeps_extra_ones_in_meta():
    data = '{"title": "T", "text": "Body.", "source": "AP", "published": "2024-10-24", "meta": {"a": 1}, "lang": "en"}\n\n'
    [article] = parse("a.jsonl", data.encode())
    assert (article.title, article.source, str(article.published)) == ("T", "AP", "2024-10-24")
    assert article.meta == {"a": 1, "lang": "en"}


def test_jsonl_and_csv_keep_the_articles_own_id_and_url_as_identity_fields():
    data = '{"id": 17, "url": " https://ex.org/a ", "title": "T", "text": "Body."}\n{"id": "ap-2", "title": "U", "text": "More."}\n'
    first, second = parse("a.jsonl", data.encode())
    assert (first.external_id, first.url, first.meta) == ("17", "https://ex.org/a", {})
    assert (second.external_id, second.url) == ("ap-2", "")
    [row] = parse("a.csv", b"id,url,title,text\nx-1,https://ex.org/b,T,Body.\n")
    assert (row.external_id, row.url, row.meta) == ("x-1", "https://ex.org/b", {})
    [plain] = parse("a.txt", b"Title\nBody.\n")
    assert (plain.external_id, plain.url) == ("", "")


def test_csv_reads_title_and_text_columns_with_embedded_newlines():
    data = 'title,text,source\n"A","Line one.\nLine two.",AP\nB,Other text.,\n'
    articles = parse("a.csv", data.encode())
    assert [a.title for a in articles] == ["A", "B"]
    assert articles[0].text == "Line one.\nLine two."


@pytest.mark.parametrize(
    ("name", "data", "line", "reason"),
    [
        ("a.jsonl", b'{"title": "a", "text": "x"}\n{"title": "b"}\n', 2, "missing text field"),
        ("a.jsonl", b'{"title": "a", "text": "   "}\n', 1, "text is empty"),
        ("a.jsonl", b'{"title": "a", "text": "x"}\n{bad json\n', 2, "bad JSON"),
        ("a.jsonl", b'["not", "an object"]\n', 1, "JSON object"),
        ("a.jsonl", b'{"text": "x"}\n', 1, "missing title"),
        ("a.jsonl", b'{"title": "a", "text": "x", "published": "yesterday"}\n', 1, "not an ISO date"),
        ("a.jsonl", b'{"title": "a", "text": "x", "meta": [1]}\n', 1, "meta must be an object"),
        ("a.jsonl", b'{"title": "a", "text": "x", "id": true}\n', 1, "id must be a string or a whole number"),
        ("a.jsonl", b'{"title": "a", "text": "x", "url": 3}\n', 1, "url must be a string"),
        ("a.jsonl", b'{"title": "a", "text": "x", "meta": ' + b'{"a": ' * 30 + b"1" + b"}" * 31 + b"\n", 1, "nested deeper"),
        ("a.txt", b"Title\nok\n\xff\xfe broken\n", 3, "not valid UTF-8"),
        ("a.txt", b"Only a title\n\n", 1, "no article text"),
        ("a.csv", b"name,body\nx,y\n", 1, "missing column"),
        ("a.csv", b'title,text\nA,"fine"\nB,\n', 3, "text is empty"),
    ],
)
def test_bad_input_names_file_line_and_reason(name, data, line, reason):
    error = error_of(name, data)
    assert error.file == name
    assert error.line == line
    assert reason in error.reason
    assert str(error).startswith(f"{name}, line {line}: ")


def test_file_over_the_size_limit_is_refused():
    error = error_of("big.txt", b"T\n" + b"x" * 20_000)
    assert "limit" in error.reason and error.line is None


def test_unsupported_extension_is_refused():
    assert "unsupported file type .pdf" in error_of("a.pdf", b"x").reason


def test_content_hash_ignores_whitespace_layout():
    assert content_hash("a  b\nc") == content_hash(" a b c ")
    assert content_hash("a b") != content_hash("a c")
