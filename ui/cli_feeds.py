"""`briefing feeds add|list|remove`, `briefing fetch` and `briefing watch`: parse, call, render.

Like `ui.cli`, this loads nothing heavy at import (`briefing --help` stays fast): the library and
the shared output helpers of `ui.cli` are imported inside the commands.
"""

from __future__ import annotations

import dataclasses
import re
import signal
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant import BadInput, BriefingError

if TYPE_CHECKING:
    from assistant import FetchReport

feeds_app = typer.Typer(help="Subscribe to RSS/Atom feeds; `briefing fetch` polls them.")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default: BRIEFING_DATA_DIR or ./.briefing)."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
_INTERVAL = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(value: str) -> float:
    """'30m', '1h', '90s', '1h30m' -> seconds; anything else is BadInput."""
    text = value.strip().lower()
    parts = _INTERVAL.findall(text)
    if not parts or _INTERVAL.sub("", text).strip():
        raise BadInput(f"--every {value!r} is not an interval; write e.g. 30m, 1h, 90s")
    seconds = float(sum(int(n) * _UNITS[unit] for n, unit in parts))
    if seconds <= 0:
        raise BadInput(f"--every {value!r} must be longer than zero")
    return seconds


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's http(s) URL.")],
    outlet: Annotated[
        str | None, typer.Option(help="Outlet name for articles whose page names none.")
    ] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Subscribe to a feed (adding it again resumes a paused one)."""
    from ui.cli import _assistant, _fail, _print_json, out, plain

    try:
        feed = _assistant(data_dir).add_feed(url, outlet)
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(dataclasses.asdict(feed))
    else:
        out.print(plain(f"subscribed to {feed.url}" + (f" ({feed.outlet})" if feed.outlet else "")))


@feeds_app.command("list")
def feeds_list(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """The subscribed feeds and how their last poll went."""
    from assistant import iso
    from ui.cli import Table, _assistant, _fail, _print_json, out, plain

    try:
        rows = _assistant(data_dir).feeds()
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json([dataclasses.asdict(f) for f in rows])
        return
    table = Table("url", "outlet", "status", "last fetched", "last", "new", "error")
    for f in rows:
        table.add_row(
            plain(f.url),
            plain(f.outlet or ""),
            f.status,
            iso(f.last_fetched) or "never",
            f.last_status or "",
            str(f.last_new),
            plain(f.last_error or ""),
        )
    out.print(table)


@feeds_app.command("remove")
def feeds_remove(
    url: Annotated[str, typer.Argument(help="The URL shown by `briefing feeds list`.")],
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Unsubscribe from a feed; the articles it brought stay stored."""
    from ui.cli import _assistant, _fail, _print_json, out, plain

    try:
        _assistant(data_dir).remove_feed(url)
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json({"removed": url})
    else:
        out.print(plain(f"removed {url}"))


def fetch_json(report: FetchReport) -> dict[str, Any]:
    return {
        "feeds": [dataclasses.asdict(f) for f in report.feeds],
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "copies": report.copies,
        "failed": [dataclasses.asdict(f) for f in report.failed],
    }


def _print_fetch(report: FetchReport) -> None:
    from ui.cli import Text, err, out, plain

    for failure in report.failed:
        err.print(Text.assemble(("failed ", "red"), plain(f"{failure.url}: {failure.error}")))
    out.print(
        f"{len(report.feeds)} feed(s): {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.failed)} failed"
    )


def fetch(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """Poll every feed once and ingest what is new (exit 1 if any feed or entry failed)."""
    from ui.cli import _assistant, _fail, _print_json

    try:
        report = _assistant(data_dir).fetch()
    except BriefingError as exc:
        raise _fail(exc) from exc
    if as_json:
        _print_json(fetch_json(report))
    else:
        _print_fetch(report)
    if report.failed:
        raise typer.Exit(code=1)


def watch(
    every: Annotated[str, typer.Option(help="Time between polls: 30m, 1h, 90s.")] = "30m",
    briefing_at: Annotated[
        str, typer.Option("--briefing-at", help="Write the day's briefing after HH:MM.")
    ] = "18:00",
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the daily briefings (default: DATA_DIR/briefings)."),
    ] = None,
    times: Annotated[int, typer.Option(help="Stop after this many polls (0: never).")] = 0,
    data_dir: DataDir = None,
) -> None:
    """Poll the feeds in the foreground and write each day's briefing once (for systemd).

    The briefing is written at the first poll after --briefing-at; Ctrl-C or SIGTERM stops.
    """
    from assistant import to_markdown
    from ui.cli import Text, _assistant, _fail, err, plain

    try:
        interval = parse_interval(every)
        try:
            hour, minute = (int(x) for x in briefing_at.split(":"))
            at = (hour, minute)
            datetime(2000, 1, 1, hour, minute)
        except ValueError as exc:
            raise BadInput(f"--briefing-at {briefing_at!r} is not HH:MM") from exc
        bot = _assistant(data_dir)
    except BriefingError as exc:
        raise _fail(exc) from exc
    folder = out_dir or bot.settings.data_dir / "briefings"

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    polls = 0
    try:
        while True:
            started = time.monotonic()
            try:
                _print_fetch(bot.fetch())
                now = datetime.now()
                target = folder / f"{date.today().isoformat()}.md"
                if (now.hour, now.minute) >= at and not target.exists():
                    folder.mkdir(parents=True, exist_ok=True)
                    target.write_text(
                        to_markdown(bot.summary(date.today(), since_last=True)), encoding="utf-8"
                    )
                    err.print(Text.assemble("wrote ", plain(target)))
            except BriefingError as exc:  # one bad poll does not end the watch
                err.print(Text.assemble(("error: ", "bold red"), plain(exc)))
            polls += 1
            if times and polls >= times:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        signal.signal(signal.SIGTERM, previous)
