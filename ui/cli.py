"""`briefing`: the command line over the assistant library. Parse, call, render; no rules here."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Only cheap names load here; rich, the settings and the library load inside the commands that
# use them, so `--help` and `sources` start in a fraction of a second.
from assistant import BadInput, BriefingError, ConfigError, clean_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.text import Text as RichText

    from assistant import Answer, Assistant, Settings


app = typer.Typer(
    help="News briefing assistant: cited answers that keep every party's claims attributed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _LazyConsole:
    """A rich Console created on first use (importing rich costs ~0.1 s)."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def real(self) -> Console:
        """The rich Console itself (for rich objects that enter it as a context manager)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


out: Any = _LazyConsole()
err: Any = _LazyConsole(stderr=True)


class _LazyText:
    """Stands in for rich.text.Text (`Text(...)`, `Text.assemble(...)`), imported on first use."""

    def __call__(self, *args: Any, **kwargs: Any) -> RichText:
        from rich.text import Text as RichText

        return RichText(*args, **kwargs)

    def assemble(self, *args: Any, **kwargs: Any) -> RichText:
        from rich.text import Text as RichText

        return RichText.assemble(*args, **kwargs)


Text: Any = _LazyText()


def Table(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - stands in for rich.table.Table
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


def _progress_bar(label: str) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
        console=err.real(),
        transient=True,
    )


DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: BRIEFING_DATA_DIR or ./.briefing)."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

PARTY_COLOURS = [
    "cyan",
    "magenta",
    "yellow",
    "green",
    "blue",
    "red",
    "bright_cyan",
    "bright_magenta",
]


def plain(value: object, style: str = "") -> RichText:
    """User text (titles, file names, messages) as an inert rich Text: no markup is read
    from it and no control character reaches the terminal."""
    return Text(clean_text(str(value)).replace("\r", ""), style=style)


def _settings(data_dir: Path | None) -> Settings:
    """The settings, or one line naming the bad variable and exit code 2."""
    from assistant import load_settings

    try:
        return load_settings(data_dir=data_dir) if data_dir else load_settings()
    except ConfigError as exc:
        err.print(Text.assemble(("error: ", "bold red"), plain(f"bad setting: {exc}")))
        raise typer.Exit(code=2) from exc


def _assistant(data_dir: Path | None, check_embedder: bool = True) -> Assistant:
    from assistant import Assistant

    return Assistant(_settings(data_dir), check_embedder=check_embedder)


def _fail(exc: BriefingError) -> typer.Exit:
    err.print(Text.assemble(("error: ", "bold red"), plain(exc)))
    return typer.Exit(code=1)


def _print_json(value: Any) -> None:
    """Any record as JSON: dates as ISO text (`json_ready`), other odd values as text."""
    from assistant import json_ready

    text = json.dumps(json_ready(value), indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")


def party_colour(party: str) -> str:
    """One stable colour per party name."""
    if party == "narrator":
        return "white"
    return PARTY_COLOURS[sum(map(ord, party)) % len(PARTY_COLOURS)]


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (recursive), feed files or article URLs.")
    ],
    outlet: Annotated[
        str | None, typer.Option(help="Outlet name for files that name none.")
    ] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Ingest .txt, .md, .html, .json, .jsonl, RSS/Atom files and article pages by URL."""
    try:
        bot = _assistant(data_dir)
        if as_json:
            report = bot.ingest(paths, outlet=outlet)
        else:
            with _progress_bar("ingest") as bar:
                task = bar.add_task("", total=None)

                def progress(done: int, total: int, title: str) -> None:
                    bar.update(
                        task, completed=done, total=total, description=clean_text(title[:50])
                    )

                report = bot.ingest(paths, outlet=outlet, progress=progress)
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(
            {
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "failed": [dataclasses.asdict(f) for f in report.failed],
                "replaced": [dataclasses.asdict(r) for r in report.replaced],
                "chunks": report.chunks,
            }
        )
    else:
        for failure in report.failed:
            err.print(
                Text.assemble(("failed ", "red"), plain(failure.path), ": ", plain(failure.error))
            )
        for r in report.replaced:
            err.print(
                Text.assemble(
                    ("replaced ", "yellow"),
                    plain(r.title),
                    f" ({r.doc_id}): ",
                    plain(r.old_source or "?"),
                    " -> ",
                    plain(r.new_source or "?"),
                )
            )
        out.print(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.failed)} failed, {report.chunks} chunks"
        )
    if report.failed:
        raise typer.Exit(code=1)


@app.command()
def demo(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """Load the bundled demo corpus when the store is empty (does nothing otherwise)."""
    try:
        bot = _assistant(data_dir)
        if not bot.is_empty():
            message = {"loaded": False, "articles": len(bot.sources())}
        else:
            report = bot.ingest_demo()
            message = {"loaded": True, "articles": report.added, "chunks": report.chunks}
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(message)
    elif message["loaded"]:
        out.print(f"demo corpus loaded: {message['articles']} articles, {message['chunks']} chunks")
    else:
        out.print(f"store already holds {message['articles']} articles; demo corpus not loaded")


@app.command()
def sources(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """List stored articles."""
    from assistant import iso

    try:
        rows = _assistant(data_dir).sources()
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(
            [
                {
                    "doc_id": a.doc_id,
                    "title": a.title,
                    "outlet": a.outlet,
                    "published": a.published,
                    "url": a.url,
                    "chunks": a.chunks,
                }
                for a in rows
            ]
        )
        return
    table = Table("doc_id", "published", "outlet", "title", "chunks")
    for a in rows:
        table.add_row(
            plain(a.doc_id),
            plain(iso(a.published) or "?"),
            plain(a.outlet or "?"),
            plain(a.title),
            str(a.chunks),
        )
    out.print(table)


@app.command()
def remove(
    doc_id: Annotated[str, typer.Argument(help="The doc_id shown by `briefing sources`.")],
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Delete one article with its passages, ledger and vectors."""
    try:
        _assistant(data_dir).remove(doc_id)
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json({"removed": doc_id})
    else:
        out.print(Text.assemble("removed ", plain(doc_id)))


@app.command()
def claims(
    article: Annotated[str, typer.Argument(help="A stored doc_id or an article file.")],
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """The claims ledger of one article: who says each sentence."""
    from assistant import iso

    try:
        ledger = _assistant(data_dir).claims(article)
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json([dataclasses.asdict(r) for r in ledger.records])
        return
    out.print(
        plain(
            f"{ledger.title} — {ledger.outlet or '?'}, {iso(ledger.published) or 'undated'}",
            style="bold",
        )
    )
    table = Table("#", "party", "cue", "conf", "speaker", "sentence", show_lines=False)
    for r in ledger.records:
        colour = party_colour(r.party)
        table.add_row(
            str(r.sentence_index),
            plain(r.party, style=colour),
            plain(r.cue),
            f"{r.confidence:.2f}",
            plain(r.speaker or ""),
            plain(r.text, style=colour if r.party != "narrator" else ""),
        )
    out.print(table)


@app.command()
def parties(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """The corpus's parties, their aliases and how many sentences each speaks."""
    try:
        rows = _assistant(data_dir).parties()
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json([dataclasses.asdict(p) for p in rows])
        return
    table = Table("party", "sentences", "articles", "aliases")
    for p in rows:
        table.add_row(
            plain(p.party, style=party_colour(p.party)),
            str(p.sentences),
            str(p.articles),
            plain(", ".join(p.aliases)),
        )
    out.print(table)


@app.command()
def reembed(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """Re-embed every stored passage with the configured embedder (after changing it)."""
    try:
        bot = _assistant(data_dir, check_embedder=False)
        if as_json:
            report = bot.reembed()
        else:
            with _progress_bar("reembed") as bar:
                task = bar.add_task("", total=None)

                def progress(done: int, total: int, title: str) -> None:
                    bar.update(task, completed=done, total=total, description=title[:50])

                report = bot.reembed(progress=progress)
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(dataclasses.asdict(report))
    else:
        out.print(
            f"re-embedded {report.passages} passages of {report.articles} articles in "
            f"{report.seconds:.1f} s: {report.before or 'nothing recorded'} -> {report.after}"
        )


def main() -> None:  # pragma: no cover - console entry point
    app()


DateOpt = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadInput(f"--{name} {value!r} is not a date (use YYYY-MM-DD)") from exc


def answer_json(answer: Answer) -> object:
    """The `ask --json` contract: the Answer's fields, dates as ISO text."""
    from assistant import json_ready

    return json_ready(answer)


class LivePrinter:
    """`on_text` for `Assistant.ask`: prints each verified sentence the moment it arrives."""

    def __init__(self) -> None:
        self.text = ""

    def __call__(self, piece: str) -> None:
        out.print(plain(piece), end="")
        self.text += piece


def print_answer(answer: Answer, streamed: str = "") -> None:
    """The answer with its sources; text already printed live (`streamed`) is not repeated."""
    from assistant import iso

    if streamed:
        out.print()
    if answer.notice:
        err.print(Text.assemble(("notice: ", "yellow"), plain(answer.notice)))
    if streamed != answer.answer:
        out.print(plain(answer.answer, style="italic" if answer.refused else ""))
    if answer.citations:
        out.print()
        out.print(Text("Sources", style="bold"))
        for c in answer.citations:
            who = f" — {c.party}" if c.party else ""
            also = f" (also: {', '.join(c.also_in)})" if c.also_in else ""
            line = plain(
                f"[{c.n}] {c.outlet or '?'}, {iso(c.published) or 'undated'}: {c.title}{who}{also}"
            )
            out.print(line)
            out.print(plain(f"    “{c.passage}”", style="dim"))
    if answer.repairs:
        out.print(Text(f"({len(answer.repairs)} verifier repair(s); see --json)", style="dim"))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    since: DateOpt = None,
    until: DateOpt = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    party: Annotated[
        str | None, typer.Option(help="Only passages where this party speaks.")
    ] = None,
    engine: Annotated[str, typer.Option(help="extractive (no LLM) or llm.")] = "extractive",
    today: Annotated[str | None, typer.Option(help="Reference date for 'yesterday' etc.")] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Answer a question from the stored articles, every sentence cited and attributed."""
    live = None if as_json else LivePrinter()
    try:
        bot = _assistant(data_dir)
        answer = bot.ask(
            question,
            since=_date(since, "since"),
            until=_date(until, "until"),
            outlet=outlet,
            party=party,
            engine=engine,
            today=_date(today, "today"),
            on_text=live,
        )
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json or live is None:
        _print_json(answer_json(answer))
    else:
        print_answer(answer, live.text)


@app.command()
def chat(
    engine: Annotated[str, typer.Option(help="extractive (no LLM) or llm.")] = "extractive",
    data_dir: DataDir = None,
) -> None:
    """Interactive terminal chat; follow-up questions keep the conversation's context."""
    from assistant import Conversation

    try:
        bot = _assistant(data_dir)
        conversation = Conversation(bot, engine=engine)
        bot.warm_up()
    except BriefingError as exc:
        raise _fail(exc) from exc
    out.print("Ask about the stored news; an empty line or Ctrl-D quits.")
    while True:
        try:
            question = out.input("[bold]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            break
        if not question.strip():
            break
        live = LivePrinter()
        try:
            answer = conversation.ask(question, on_text=live)
        except BriefingError as exc:
            err.print(Text.assemble(("error: ", "bold red"), plain(exc)))
            continue
        print_answer(answer, live.text)
        out.print()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (BRIEFING_SERVE_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (BRIEFING_SERVE_PORT).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Start the web chat (Streamlit) on http://127.0.0.1:8501."""
    import math
    import os

    settings = _settings(data_dir)
    web = Path(__file__).with_name("web.py")
    env = {**os.environ, "BRIEFING_DATA_DIR": str(settings.data_dir.resolve())}
    bind = host or settings.serve_host
    # Run from ui/, where Streamlit finds the app's own config (ui/.streamlit/config.toml):
    # no tracebacks for users, no file watcher, no toolbar, no usage statistics.
    # ui.streamlit_main is `streamlit run` plus a warm-up thread started with the server.
    command = [
        sys.executable,
        "-m",
        "ui.streamlit_main",
        "run",
        str(web),
        "--server.address",
        bind,
        "--server.port",
        str(port or settings.serve_port),
        "--server.maxUploadSize",
        str(max(1, math.ceil(settings.max_file_mb))),
    ]
    if bind not in ("127.0.0.1", "localhost", "::1"):
        err.print(
            plain(
                f"warning: serving on {bind}: everyone who can reach it can read, upload and "
                "remove articles; see the README on serving a team (reverse proxy with login)"
            )
        )
    out.print(plain(f"web chat on http://{bind}:{port or settings.serve_port}"))
    sys.stdout.flush()
    sys.stderr.flush()
    # Streamlit takes this process's place (same pid): a stop signal reaches the server itself,
    # and no server is left running when the command is stopped.
    os.chdir(web.parent)
    os.execve(sys.executable, command, env)


@app.command()
def summary(
    day: Annotated[
        str | None, typer.Option("--date", help="The day (YYYY-MM-DD); default today.")
    ] = None,
    since: DateOpt = None,
    until: DateOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="md, json or html.")] = "md",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    engine: Annotated[
        str, typer.Option(help="extractive (the briefing is built from the sources).")
    ] = "extractive",
    data_dir: DataDir = None,
) -> None:
    """The daily briefing: stories, agreed vs contested claims per party, revisions, sources."""
    from assistant import to_html, to_json, to_markdown

    renderers = {"md": to_markdown, "json": to_json, "html": to_html}
    try:
        if fmt not in renderers:
            raise BadInput(f"--format {fmt!r} is not one of md, json, html")
        if engine not in ("extractive", "llm"):
            raise BadInput(f"unknown engine {engine!r}; use 'extractive' or 'llm'")
        if day and (since or until):
            raise BadInput("give either --date or --since/--until, not both")
        start = _date(day, "date") or _date(since, "since") or date.today()
        end = _date(until, "until") or (start if not since else date.today())
        bot = _assistant(data_dir)
        briefing = bot.summary(start, end, since_last=True)
        text = renderers[fmt](briefing)
    except BriefingError as exc:
        raise _fail(exc) from exc
    if not briefing.stories:
        latest = bot.latest_day()
        hint = f"; the latest day with articles is {latest} (use --date {latest})" if latest else ""
        err.print(plain(f"no articles published in {briefing.date}{hint}"))
    if out_file:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text, encoding="utf-8")
        err.print(Text.assemble("wrote ", plain(out_file)))
    else:
        sys.stdout.write(clean_text(text))


# Feeds: `briefing feeds add|list|remove`, `briefing fetch`, `briefing watch` (ui/cli_feeds.py).
from ui.cli_feeds import feeds_app, fetch, watch  # noqa: E402

app.add_typer(feeds_app, name="feeds")
app.command()(fetch)
app.command()(watch)
