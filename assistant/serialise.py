"""Records -> JSON-ready values: the one output edge where dates become ISO text.

Records carry `date` and `datetime` objects; every JSON the project writes (the CLI's `--json`,
briefing downloads, the web views) goes through `json_ready`, so a date reads "YYYY-MM-DD" and
a time "YYYY-MM-DDTHH:MM:SS+00:00" everywhere, and `json.dumps` never meets a date object.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime


def day_text(value: date | None) -> str | None:
    """A day as a reader writes it ('4 May 2026'), for prose that names when a report ran;
    None stays None. Month names are English, whatever the machine's locale."""
    if value is None:
        return None
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


_MONTH_NAMES: tuple[str, ...] = ("January", "February", "March", "April", "May", "June")
_MONTH_NAMES += ("July", "August", "September", "October", "November", "December")


def iso(value: date | None) -> str | None:
    """A date (or datetime) as ISO text; None stays None. For text outputs that show a date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def json_ready(value: object) -> object:
    """Dataclasses as dicts (field order kept), mappings with string keys, tuples and lists as
    lists, dates as ISO text; everything else as it is."""
    if isinstance(value, date):
        return iso(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_ready(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def possessive(name: str) -> str:
    """'Velm Wire' -> "Velm Wire's"; a name ending in s takes the apostrophe alone ('Orvik
    Markets' -> "Orvik Markets'")."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
