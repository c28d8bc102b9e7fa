from __future__ import annotations

import json
import os
from datetime import date, datetime
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
    assert article.published == date(2026, 3, 11)
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
    assert article.published == date(2026, 3, 11)
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
    assert parse_published("2026-03-11T23:10:00Z") == date(2026, 3, 11)
    assert parse_published(datetime(2026, 3, 11, 23, 10)) == date(2026, 3, 11)
    assert parse_published(date(2026, 3, 11)) == date(2026, 3, 11)
    with pytest.raises(IngestError, match="cannot read published date"):
        parse_published("not a date", "f.md")


def test_ids_and_hashes_keep_the_iso_text_of_the_day() -> None:
    """Stores written while `published` was ISO text keep their doc_ids and content hashes:
    re-ingesting the same article finds it unchanged."""
    import hashlib

    def sha(value: str) -> str:
        return hashlib.sha256(value.encode("utf-8")).hexdigest()

    base = dict(text="Body.", source_path=None, where="x", author=None)
    dated = make_article(title="T", outlet="O", published=date(2026, 3, 11), url=None, **base)
    assert dated.content_hash == sha(json.dumps(["Body.", "T", "O", "2026-03-11", None, None]))
    assert dated.doc_id == sha("meta:t|o|2026-03-11")[:16]
    undated = make_article(title="T", outlet="O", published=None, url=None, **base)
    assert undated.content_hash == sha(json.dumps(["Body.", "T", "O", None, None, None]))


# -- hostile input (issue 13, items 1-6) ------------------------------------------------------
def test_every_hostile_file_is_named_and_reads_nothing_it_should_not(tmp_path: Path) -> None:
    from tests.hostile import SECRET_TEXT, write_hostile

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    cases = write_hostile(tmp_path / "in", secret)
    for case in cases:
        path = tmp_path / "in" / case.name
        result = load_file(path) if case.on_disk else None
        if result is None:
            files, errors = find_files([path])
            assert files == [] and case.reason in errors[0].reason, case.name
            continue
        assert result.articles == [], case.name
        assert [e.path for e in result.errors] == [str(path)], case.name
        assert case.reason in result.errors[0].reason, (case.name, result.errors[0].reason)
        assert SECRET_TEXT not in result.errors[0].reason


def test_a_feed_whose_content_is_a_path_is_parsed_as_xml_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.rss"  # a real, readable feed on the server
    secret.write_bytes((FORMATS / "feed.rss").read_bytes())
    upload = tmp_path / "upload.rss"
    upload.write_text(str(secret))
    assert len(load_file(secret).articles) == 2
    result = load_file(upload)
    assert result.articles == []
    assert "not a readable RSS/Atom feed" in result.errors[0].reason


def test_the_size_limit_holds_for_the_bytes_read_not_for_stat(tmp_path: Path) -> None:
    link = tmp_path / "status.txt"
    link.symlink_to("/proc/self/status")  # stat() says 0 bytes; reading gives more
    assert Path("/proc/self/status").stat().st_size == 0
    [error] = load_file(link, max_bytes=100).errors
    assert "over the 0.0 MB limit" in error.reason
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    [error] = load_file(fifo).errors  # would block forever if it were opened for reading
    assert "not a regular file" in error.reason


def test_script_and_style_never_become_article_text() -> None:
    from ingest.loaders import html_fragment_text

    fragment = "<p>Visible words.</p><script>var token = 'SECRET';</script><style>p{}</style>"
    assert "SECRET" not in html_fragment_text(fragment)
    assert "Visible words." in html_fragment_text(fragment)
    # lxml cannot parse this one: the regex fallback must drop the unclosed script too
    broken = "<p>Shown</p>\x00<script>SECRET()"
    text = html_fragment_text(broken)
    assert "SECRET" not in text and "Shown" in text


def test_control_characters_and_bidi_overrides_are_stripped_at_the_loader(
    tmp_path: Path,
) -> None:
    path = tmp_path / "esc.json"
    title = "Clear \x1b[2J screen \u202eevil\u202c"
    path.write_text(json.dumps({"title": title, "outlet": "Out\x07let", "text": "Body\x1b] here."}))
    [article] = load_file(path).articles
    assert article.title == "Clear [2J screen evil"
    assert article.outlet == "Outlet"
    assert article.text == "Body] here."
    from ingest.loaders import clean_text

    assert clean_text("a\tb\nc\r\x00\x9b\u2066d\u2069") == "a\tb\nc\rd"
    assert clean_text("ümlaut \u05d0 \u200d") == "ümlaut \u05d0 \u200d"  # letters, ZWJ stay


def test_clean_text_drops_exactly_the_characters_the_character_rule_refuses() -> None:
    """The one-regex fast path agrees with the per-character rule (Unicode category Cc but
    newline, tab and CR; bidi control classes) on every code point."""
    import sys

    from ingest.loaders import _kept, clean_text

    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert clean_text(everything) == "".join(ch for ch in everything if _kept(ch))
    assert clean_text("x\x00y") == "xy"


def test_symlink_loops_in_a_folder_are_reported_as_skipped(tmp_path: Path) -> None:
    from tests.hostile import write_links

    expected = write_links(tmp_path / "in")
    (tmp_path / "in" / "good.txt").write_text("Title\n\nA real article body. It has words.")
    files, errors = find_files([tmp_path / "in"])
    assert files == [tmp_path / "in" / "good.txt"]
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert set(reasons) == set(expected)
    for name, phrase in expected.items():
        assert phrase in reasons[name]


def test_day_number_orders_like_the_days_it_encodes() -> None:
    from datetime import date, timedelta

    from ingest.types import day_number

    assert day_number(date(2026, 3, 9)) == 20260309
    days = [date(2025, 12, 31) + timedelta(days=n) for n in range(0, 400, 7)]
    assert [day_number(d) for d in days] == sorted(day_number(d) for d in days)
