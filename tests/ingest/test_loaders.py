from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.loaders import find_files, load_file, make_article, parse_published

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"


def test_markdown_front_matter_gives_metadata() -> None:
    result = load_file(FORMATS / "hostile.md")
    assert result.errors == []
    [article] = result.articles
    assert article.title.startswith("Council vote")
    assert article.published == "2026-03-11"
    assert "<script>" in article.text  # kept as data; escaping is the renderer's job


def test_plain_text_first_line_is_title_and_date_stays_unknown() -> None:
    [article] = load_file(FORMATS / "plain.txt").articles
    first_line = (FORMATS / "plain.txt").read_text().splitlines()[0].strip()
    assert article.title == first_line
    assert article.published is None
    assert first_line not in article.text


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    result = load_file(FORMATS / "article.html")
    assert result.errors == []
    [article] = result.articles
    assert article.published == "2026-03-11"
    assert article.outlet
    assert len(article.text.split()) >= 150
    assert "<" not in article.text


def test_json_and_jsonl_records() -> None:
    [single] = load_file(FORMATS / "article.json").articles
    assert single.text
    records = load_file(FORMATS / "articles.jsonl")
    assert records.errors == []
    assert len(records.articles) == 3
    assert len({a.doc_id for a in records.articles}) == 3
    assert any(a.published is None for a in records.articles)


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_feeds_give_one_article_per_entry(name: str) -> None:
    result = load_file(FORMATS / name)
    assert result.errors == []
    assert len(result.articles) == 2
    for article in result.articles:
        assert article.published is not None
        assert "<p>" not in article.text
        assert article.text.count(".") >= 3


def test_folders_are_recursive_and_missing_paths_are_named(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("Title\n\nBody sentence one. Two.")
    (tmp_path / "a" / ".hidden.txt").write_text("no")
    files, errors = find_files([tmp_path / "a", tmp_path / "missing.txt"])
    assert files == [tmp_path / "a" / "b" / "x.txt"]
    assert [(e.path, e.reason) for e in errors] == [
        (str(tmp_path / "missing.txt"), "no such file or folder")
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"   \n", "file is empty"),
        ("binary.txt", b"\x00\x01\x02abc", "binary file"),
        ("latin1.txt", "Café crème déjà vu.\nMore text here.".encode("latin-1"), "not valid UTF-8"),
        ("broken.json", b'{"text": "abc"', "invalid JSON at line 1"),
        ("notext.json", b'{"title": "only a title"}', "missing 'text'"),
        ("broken.rss", b"<rss><channel><title>x</title>", "not a readable RSS/Atom feed"),
        ("page.html", b"<html><body><nav>menu</nav></body></html>", "no article text found"),
        ("table.csv", b"a,b\n1,2\n", "unsupported file type '.csv'"),
    ],
)
def test_bad_input_is_named(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = load_file(path)
    assert result.articles == []
    [error] = result.errors
    assert error.path == str(path)
    assert reason in error.reason


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Headline\n\n" + "A sentence of news. " * 1000)
    [error] = load_file(path, max_bytes=1000).errors
    assert "over the 0.0 MB limit" in error.reason or "limit" in error.reason
    assert error.path == str(path)


def test_jsonl_bad_line_is_named_and_others_load(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "One good article. It has sentences."}\nnot json\n{"title": "x"}\n')
    result = load_file(path)
    assert len(result.articles) == 1
    assert [e.path for e in result.errors] == [f"{path}:2", f"{path}:3"]


def test_doc_id_prefers_url_then_metadata_then_text() -> None:
    base = dict(text="Body.", source_path=None, where="x")
    a = make_article(
        title="T", outlet="O", published="2026-03-11", url="https://x.example/a", **base
    )
    b = make_article(title="Other", outlet="P", published=None, url="https://x.example/a/", **base)
    assert a.doc_id == b.doc_id  # same url, trailing slash ignored
    c = make_article(title="T", outlet="O", published="2026-03-11", url=None, **base)
    d = make_article(title="  t ", outlet="O", published="2026-03-11T10:00:00", url=None, **base)
    assert c.doc_id == d.doc_id != a.doc_id
    e = make_article(title=None, outlet=None, published=None, url=None, **base)
    assert e.doc_id not in {a.doc_id, c.doc_id}
    assert a.content_hash != b.content_hash


def test_published_never_defaults_to_today() -> None:
    assert parse_published(None) is None
    assert parse_published("2026-03-11T23:10:00Z") == "2026-03-11"
    with pytest.raises(IngestError, match="cannot read published date"):
        parse_published("not a date", "f.md")
