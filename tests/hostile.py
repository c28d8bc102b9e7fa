"""The hostile-input files of issue 13 (items 1-6), built in a temp folder for each suite.

One builder serves the loader tests, the CLI suite and the upload page, so every shell is
tested against the same files. Each case names the reason the report must give; Symbolic links
(which no upload can carry) come from `write_links`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# A secret only the server can read: a feed whose content is this path must not ingest it.
SECRET_TEXT = "SERVER-SIDE SECRET LINE that no upload may read"
GOOD_BODY = (
    "The harbour board met on Tuesday. It approved a new crane plan for the east quay. "
    "Dock workers said the plan would keep jobs in the port."
)


@dataclass(frozen=True, slots=True)
class Hostile:
    name: str  # the file name as the user gives it
    content: bytes
    reason: str  # a phrase the failure for this file must contain
    on_disk: bool = True  # False: the file system refuses the name (an upload still carries it)


def _bomb() -> bytes:
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([prev] * 9)}]")
    lines += ["title: *a8", "---", GOOD_BODY]
    return "\n".join(lines).encode()


def hostile_cases(secret: Path) -> list[Hostile]:
    """Every hostile file; `secret` is a server-side file the feed cases point at."""
    long_name = "n" * 260 + ".json"  # over the usual 255-byte file-name limit
    return [
        Hostile("path.rss", str(secret).encode(), "not a readable RSS/Atom feed"),
        Hostile("zero.rss", b"/dev/zero", "not a readable RSS/Atom feed"),
        Hostile("bomb.md", _bomb(), "YAML alias"),
        Hostile(
            "listtitle.md",
            b"---\ntitle: [one, two]\n---\n" + GOOD_BODY.encode(),
            "front matter field 'title' must be a single text or date value",
        ),
        Hostile(
            "longtitle.md",
            b"---\ntitle: " + b"x" * 5000 + b"\n---\n" + GOOD_BODY.encode(),
            "title is 5,000 characters",
        ),
        Hostile(
            "baddate.md",
            b"---\ntitle: A day that is not\npublished: 2026-02-30\n---\n" + GOOD_BODY.encode(),
            "cannot read published date '2026-02-30'",
        ),
        Hostile("deep.json", b"[" * 100_000, "nested too deeply"),
        Hostile(long_name, b"{broken", "File name too long", on_disk=False),
        Hostile(
            "broken.rss",
            b"<?xml version='1.0'?><rss><channel><title>t</title><item><title>a</title>"
            b"<description></description></item><item><title>b</tit",
            "broken feed XML",
        ),
    ]


def write_hostile(folder: Path, secret: Path) -> list[Hostile]:
    """Write the cases a file system can hold into `folder`; return all cases."""
    cases = hostile_cases(secret)
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        if case.on_disk:
            (folder / case.name).write_bytes(case.content)
    return cases


def write_links(folder: Path) -> dict[str, str]:
    """Symbolic links a folder may hold: a loop, a dangling one, a folder cycle."""
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink("loop-b.md", folder / "loop-a.md")
    os.symlink("loop-a.md", folder / "loop-b.md")
    os.symlink("missing.md", folder / "dangling.md")
    os.symlink(".", folder / "cycle")
    return {
        "loop-a.md": "symbolic link loop",
        "loop-b.md": "symbolic link loop",
        "dangling.md": "missing target",
        "cycle": "symbolic link to a folder",
    }
